import type { ErrorInfo } from './errors';

/** Which service a session talks to: the embedded one, or a Tencent Cloud Chat application. */
export type BackendKind = 'local' | 'tencent';

/** The life of a signed-in user's session. */
export type SessionState = 'signed-out' | 'signing-in' | 'ready' | 'reconnecting' | 'kicked-out' | 'failed';

export interface SessionSnapshot {
  /** Which connection this is; it changes when the operator switches service or account. */
  connection: number;
  state: SessionState;
  backend: BackendKind;
  userID: string | null;
  /** Why the session is in this state (sign-in failure, kick-out, lost link), if there is a reason. */
  reason: ErrorInfo | null;
  /** Something the operator should know that is not an error of this session (a recovered state file). */
  notice: ErrorInfo | null;
  /** When the session entered this state, in ms since the epoch. */
  since: number;
}

/** Tencent Cloud Chat group types; `AVChatRoom` is the live-stream room. */
export type GroupType = 'Public' | 'Private' | 'ChatRoom' | 'AVChatRoom' | 'Community';

export interface GroupSummary {
  groupID: string;
  name: string;
  type: GroupType;
  memberCount: number;
}

/** Counter values cross the IPC boundary as decimal strings: exact int64, never floats. */
export type CounterValues = Record<string, string>;

export interface GetCountersRequest {
  groupID: string;
  /** Omitted or empty: every counter of the group. */
  keyList?: string[];
}

export interface SetCountersRequest {
  groupID: string;
  counters: CounterValues;
}

export interface DeltaRequest {
  groupID: string;
  key: string;
  /** The size of the change, 1 … 2^63−1; the method says the direction. */
  value: string;
}

export interface CountersReply {
  groupID: string;
  counters: CounterValues;
  /** Keys whose values the service sent as JS numbers beyond ±(2^53−1): they may not be exact. */
  inexact?: string[];
  /** `held`: answered from counters the session keeps up to date; `service`: fetched. */
  source: 'held' | 'service';
  /** When each key's last update arrived (ms since the epoch), for the keys whose history holds one. */
  updatedAt: Record<string, number>;
}

/** The confirmed values of the call that carried a write, as the service answered them. */
export interface WriteReply {
  groupID: string;
  counters: CounterValues;
}

/** One GROUP_COUNTER_UPDATED, as the renderer sees it. */
export interface CounterUpdate {
  groupID: string;
  key: string;
  value: string;
  /** The value the session held before, or null if it held none. */
  previous: string | null;
  /** When the session received it, in ms since the epoch. */
  at: number;
  /** Set when the service sent the value as a JS number beyond ±(2^53−1): it may not be exact. */
  inexact?: true;
  /** Set when this Countdeck's own write made it. */
  own?: true;
}

/** Counter updates flushed together; `seq` grows by one per batch so a gap shows a lost batch. */
export interface CounterBatch {
  seq: number;
  updates: CounterUpdate[];
}

/** One of the two budgets (writes, reads): the SDK's fixed window of 20 calls per 5 s. */
export interface BudgetWindow {
  limit: number;
  used: number;
  left: number;
  /** When the current window closes (ms since the epoch), or null before the first call. */
  windowEndsAt: number | null;
  /** When the next call may go out: now if one is left, else just after the window closes. */
  nextSlotAt: number;
  /** Intents or reads waiting for a slot. */
  queued: number;
  /** Calls sent and not yet answered. */
  inFlight: number;
  /** Consecutive 2996 answers from the service despite the model; 0 when all is well. */
  refusals: number;
}

export interface BudgetSnapshot {
  at: number;
  write: BudgetWindow;
  read: BudgetWindow;
}

/** A Tencent Cloud Chat account as the renderer may see it: never its UserSig or key. */
export interface AccountSummary {
  SDKAppID: number;
  userID: string;
  /** What signs it in: a pasted UserSig, or (development only) a UserSig generated from the secret key. */
  credential: 'userSig' | 'secretKey';
}

/** Why secrets stay in memory: no keychain at all, a Linux keyring missing (only a fixed password), or none given. */
export type MemoryOnlyReason = 'no-keychain' | 'no-keyring' | 'not-configured';

/** Where secrets are kept: encrypted by the OS keychain, or in memory for this run only (and why). */
export type SecretStorage = { mode: 'keychain' } | { mode: 'memory'; reason: MemoryOnlyReason };

export interface ConnectionInfo {
  backend: BackendKind;
  /** The account in use (Tencent), else the one remembered, if any. */
  account: AccountSummary | null;
  /** Whether the account is saved for the next start. */
  remembered: boolean;
  secretStorage: SecretStorage;
}

export interface ConnectTencentRequest {
  /** The application's number, as digits. */
  SDKAppID: string;
  userID: string;
  /** A UserSig from the application's server or the console. */
  userSig?: string;
  /** Development only: the application's secret key, to generate a UserSig in the main process. */
  secretKey?: string;
  /** Keep the account (and its secret, encrypted) for the next start. */
  remember: boolean;
}

/** A fresh credential for the account in use, e.g. after the UserSig expired; the queue is kept. */
export interface RenewSignInRequest {
  userSig?: string;
  secretKey?: string;
}

/** One stretch of a counter's history: the updates that arrived in [at, at + span). */
export interface HistoryBucket {
  at: number;
  span: number;
  min: string;
  max: string;
  /** The value after the bucket's last update, and when that came. */
  last: string;
  lastAt: number;
  /** How many updates arrived in it. */
  count: number;
}

export interface HistoryRequest {
  groupID: string;
  /** The counters to read, 1 … 20 of them. */
  keys: string[];
  /** The time range [from, to), in ms since the epoch. */
  from: number;
  to: number;
  /** At most this many buckets per key: the finest stored resolution that fits is used. */
  maxPoints: number;
}

export interface KeyHistory {
  key: string;
  /** The value held at `from` (the last one before it), or null if none is stored. */
  before: string | null;
  /** Oldest first; older stretches may come from coarser tiers than newer ones. */
  buckets: HistoryBucket[];
}

export interface HistoryReply {
  groupID: string;
  from: number;
  to: number;
  series: KeyHistory[];
}

export interface RecentUpdatesRequest {
  /** At most this many, newest first. */
  limit: number;
}

/** A counter's value when a broadcast started, or when it was first seen after the start. */
export interface BroadcastBaseline {
  groupID: string;
  key: string;
  value: string;
}

/** A broadcast: what "since start" counts from, kept across restarts. */
export interface Broadcast {
  id: number;
  /** Empty when the operator gave none. */
  name: string;
  startedAt: number;
  /** Null while it is on. */
  endedAt: number | null;
  baselines: BroadcastBaseline[];
}

export interface StartBroadcastRequest {
  name?: string;
}

/** How long a tier of the counter history keeps buckets of one width. */
export interface HistoryTier {
  resolutionMs: number;
  keepMs: number;
}

/** Where Countdeck keeps its data, how much, and what is wrong with it, if anything. */
export interface StorageInfo {
  /** The database file, or null when this run keeps everything in memory. */
  file: string | null;
  bytes: number;
  /** Why the last write failed (until one succeeds), or why this run keeps its data in memory. */
  problem: ErrorInfo | null;
  /** The oldest history stored, in ms since the epoch, or null when there is none. */
  oldestHistory: number | null;
  tiers: HistoryTier[];
  /** The newest raw updates kept for the event log (besides the buckets). */
  recentKept: number;
}

export interface DeleteHistoryRequest {
  /** Deletes every update and bucket older than this, in ms since the epoch. */
  before: number;
}

/** A change not confirmed by the service yet, as the operator sees it. */
export interface PendingChange {
  intentID: number;
  groupID: string;
  key: string;
  /** "= 100", "+5" or "−3". */
  change: string;
  /** Waiting for a slot, on its way, or being checked after its outcome was lost. */
  state: 'queued' | 'sending' | 'checking';
  /** Accepted by an earlier run of Countdeck, which closed before the service confirmed it. */
  resumed: boolean;
  acceptedAt: number;
}
