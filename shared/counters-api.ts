import type {
  Broadcast,
  BudgetSnapshot,
  ConnectionInfo,
  ConnectTencentRequest,
  CounterBatch,
  CountersReply,
  CounterUpdate,
  DeleteHistoryRequest,
  DeltaRequest,
  GetCountersRequest,
  GroupSummary,
  HistoryReply,
  HistoryRequest,
  PendingChange,
  RecentUpdatesRequest,
  SessionSnapshot,
  RenewSignInRequest,
  SetCountersRequest,
  StartBroadcastRequest,
  StorageInfo,
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
  /** A counter's stored history over a time range, in buckets, for the chart. */
  getHistory(request: HistoryRequest): Promise<HistoryReply>;
  /** The newest stored updates of the service in use, newest first, for the event log. */
  getRecentUpdates(request: RecentUpdatesRequest): Promise<CounterUpdate[]>;
  /** The broadcast on now on the service in use, or null. */
  getBroadcast(): Promise<Broadcast | null>;
  /** Starts a broadcast from the values held now, ending the one on, if any. */
  startBroadcast(request: StartBroadcastRequest): Promise<Broadcast>;
  /** Ends the broadcast on; rejects when none is. */
  endBroadcast(): Promise<Broadcast>;
  getStorage(): Promise<StorageInfo>;
  /** Deletes the history older than a time; the broadcasts and the counters stay. */
  deleteHistory(request: DeleteHistoryRequest): Promise<StorageInfo>;
  /** Every change not confirmed yet, those resumed from an earlier run among them. */
  getPendingChanges(): Promise<PendingChange[]>;
  onCounterBatch(listener: (batch: CounterBatch) => void): Unsubscribe;
  onSession(listener: (session: SessionSnapshot) => void): Unsubscribe;
  onBudget(listener: (budget: BudgetSnapshot) => void): Unsubscribe;
  onBroadcast(listener: (broadcast: Broadcast | null) => void): Unsubscribe;
  onStorage(listener: (storage: StorageInfo) => void): Unsubscribe;
  onPendingChanges(listener: (changes: PendingChange[]) => void): Unsubscribe;
}
