import type {
  BudgetSnapshot,
  ConnectionInfo,
  ConnectTencentRequest,
  CounterBatch,
  CountersReply,
  DeltaRequest,
  GetCountersRequest,
  GroupSummary,
  SessionSnapshot,
  RenewSignInRequest,
  SetCountersRequest,
  WriteReply,
} from './types';

/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * What the renderer may ask of the main process, and what it hears back. The same interface is
 * exposed by the preload as `window.countdeck` and returned by `createCore()`. Calls reject with a
 * value carrying `code` and `message` (see `ErrorInfo`).
 */
export interface CountersApi {
  getSession(): Promise<SessionSnapshot>;
  listGroups(): Promise<GroupSummary[]>;
  joinGroup(groupID: string): Promise<GroupSummary>;
  getCounters(request: GetCountersRequest): Promise<CountersReply>;
  setCounters(request: SetCountersRequest): Promise<WriteReply>;
  increaseCounter(request: DeltaRequest): Promise<WriteReply>;
  decreaseCounter(request: DeltaRequest): Promise<WriteReply>;
  getBudget(): Promise<BudgetSnapshot>;
  getConnection(): Promise<ConnectionInfo>;
  /** Switches to a Tencent Cloud Chat account; resolves once signed in, rejects with the reason otherwise. */
  connectTencent(request: ConnectTencentRequest): Promise<ConnectionInfo>;
  /** Signs the account in use in again with a new credential, keeping the queued changes. */
  renewSignIn(request: RenewSignInRequest): Promise<SessionSnapshot>;
  /** Switches back to the embedded service. */
  useEmbedded(): Promise<ConnectionInfo>;
  /** Forgets the remembered account and its secret. */
  forgetAccount(): Promise<ConnectionInfo>;
  onCounterBatch(listener: (batch: CounterBatch) => void): Unsubscribe;
  onSession(listener: (session: SessionSnapshot) => void): Unsubscribe;
  onBudget(listener: (budget: BudgetSnapshot) => void): Unsubscribe;
}
