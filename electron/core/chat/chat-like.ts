import type { GroupType } from '../../../shared/types';

/**
 * The subset of the Tencent Cloud Chat SDK (`@tencentcloud/chat`) that Countdeck uses, with the
 * SDK's own method names, event names and payload shapes. One difference: counter values are
 * bigint, so the embedded service keeps int64 exact; the Tencent adapter converts at its edge.
 */
export const CHAT_EVENT = {
  SDK_READY: 'sdkStateReady',
  SDK_NOT_READY: 'sdkStateNotReady',
  KICKED_OUT: 'kickedOut',
  NET_STATE_CHANGE: 'netStateChange',
  GROUP_COUNTER_UPDATED: 'onGroupCounterUpdated',
  ERROR: 'error',
} as const;

/** `TencentCloudChat.TYPES.NET_STATE_*`. */
export type NetState = 'connected' | 'connecting' | 'disconnected';

/** `TencentCloudChat.TYPES.KICKED_OUT_*`. */
export type KickedOutType = 'multipleAccount' | 'multipleDevice' | 'userSigExpired' | 'REST_API_Kick';

/** `TencentCloudChat.TYPES.JOIN_STATUS_*`. */
export type JoinStatus = 'JoinedSuccess' | 'AlreadyInGroup' | 'WaitAdminApproval';

export interface GroupCounterUpdate {
  groupID: string;
  key: string;
  /** The value after the change. */
  value: bigint;
  /** The group's counter sequence after the change, where the service reports one. */
  groupCounterSeq?: number;
  /** Set when the service sent the value as a JS number beyond ±(2^53−1): it may not be exact. */
  inexact?: boolean;
}

export interface ChatEventMap {
  sdkStateReady: undefined;
  sdkStateNotReady: undefined;
  kickedOut: { type: KickedOutType };
  netStateChange: { state: NetState };
  onGroupCounterUpdated: GroupCounterUpdate;
  error: { code: number; message: string };
}

export type ChatEventName = keyof ChatEventMap;

export interface ChatEvent<N extends ChatEventName> {
  name: N;
  data: ChatEventMap[N];
}

export type ChatHandler<N extends ChatEventName> = (event: ChatEvent<N>) => void;

/** Every SDK call resolves with `{ code: 0, data }` and rejects with a `ChatError`. */
export interface ChatResponse<T> {
  code: 0;
  data: T;
}

export interface ChatGroup {
  groupID: string;
  name: string;
  type: GroupType;
  memberCount: number;
}

export type CounterMap = Record<string, bigint>;

/** Counter values as a reply carries them; `inexact` names keys whose values may not be exact. */
export interface CounterReply {
  counters: CounterMap;
  inexact?: string[];
}

export interface ChatLike {
  login(options: { userID: string; userSig: string }): Promise<ChatResponse<{ repeatLogin: boolean }>>;
  logout(): Promise<ChatResponse<object>>;
  /** Ends the instance: signs out and drops every handler. */
  destroy(): Promise<void>;
  on<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void;
  off<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void;
  getGroupList(): Promise<ChatResponse<{ groupList: ChatGroup[] }>>;
  joinGroup(options: { groupID: string }): Promise<ChatResponse<{ status: JoinStatus; group: ChatGroup }>>;
  getGroupCounters(options: {
    groupID: string;
    keyList?: string[];
  }): Promise<ChatResponse<CounterReply & { groupCounterSeq?: number }>>;
  setGroupCounters(options: { groupID: string; counters: CounterMap }): Promise<ChatResponse<CounterReply>>;
  increaseGroupCounter(options: {
    groupID: string;
    key: string;
    value: bigint;
  }): Promise<ChatResponse<CounterReply>>;
  decreaseGroupCounter(options: {
    groupID: string;
    key: string;
    value: bigint;
  }): Promise<ChatResponse<CounterReply>>;
}

/** The SDK's error shape: a code and a message (`imError` in Tencent's examples). */
export class ChatError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'ChatError';
    this.code = code;
  }
}
