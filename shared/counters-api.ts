import type {
  BudgetSnapshot,
  CounterBatch,
  CountersReply,
  DeltaRequest,
  GetCountersRequest,
  GroupSummary,
  SessionSnapshot,
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
  onCounterBatch(listener: (batch: CounterBatch) => void): Unsubscribe;
  onSession(listener: (session: SessionSnapshot) => void): Unsubscribe;
  onBudget(listener: (budget: BudgetSnapshot) => void): Unsubscribe;
}
