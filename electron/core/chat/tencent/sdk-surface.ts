import { silentLogger, type Logger } from '../../logger';
import { routeSdkConsole } from './sdk-console';

/**
 * The part of a `@tencentcloud/chat` instance (`ChatSDK` in its index.d.ts) that Countdeck calls,
 * with the package's own shapes: counter values are JS numbers, replies are `{ code, data }`.
 */
export interface SdkResponse<T> {
  code: number;
  data: T;
}

export interface SdkGroup {
  groupID: string;
  name: string;
  type: string;
  memberCount?: number;
}

export type SdkCounters = Record<string, number>;

export interface SdkEvent {
  name: string;
  data?: unknown;
}

export interface SdkInstance {
  login(options: { userID: string; userSig: string }): Promise<SdkResponse<{ repeatLogin?: boolean }>>;
  logout(): Promise<unknown>;
  destroy(): Promise<unknown>;
  on(eventName: string, handler: (event: SdkEvent) => void): void;
  off(eventName: string, handler: (event: SdkEvent) => void): void;
  setLogLevel(level: number): void;
  getGroupList(): Promise<SdkResponse<{ groupList: SdkGroup[] }>>;
  joinGroup(options: { groupID: string }): Promise<SdkResponse<{ status: string; group?: SdkGroup }>>;
  getGroupCounters(options: { groupID: string; keyList?: string[] }): Promise<SdkResponse<{ counters: SdkCounters }>>;
  setGroupCounters(options: { groupID: string; counters: SdkCounters }): Promise<SdkResponse<{ counters: SdkCounters }>>;
  increaseGroupCounter(options: { groupID: string; key: string; value: number }): Promise<SdkResponse<{ counters: SdkCounters }>>;
  decreaseGroupCounter(options: { groupID: string; key: string; value: number }): Promise<SdkResponse<{ counters: SdkCounters }>>;
}

/** `TencentCloudChat.create`, or a double of it in tests. */
export type SdkFactory = (options: { SDKAppID: number; unlimitedAVChatRoom: boolean }) => SdkInstance;

/** The SDK's log levels (`setLogLevel`): 0 all, 1 release, 2 warnings and errors, 3 errors, 4 none. */
export const SDK_LOG_WARNINGS = 2;

/**
 * Loads the real package only when an account is used: it is large, and the embedded default needs
 * none of it. It prints a banner as it loads, so its console output is routed to `log` meanwhile.
 */
export async function loadTencentSdk(log: Logger = silentLogger): Promise<SdkFactory> {
  // The SDK talks over a global WebSocket: Node has one from 22 (and Electron 45's main process with it).
  if (typeof globalThis.WebSocket !== 'function') throw new Error('this runtime has no WebSocket, which the Tencent SDK needs (Node 22 or newer)');
  const undo = routeSdkConsole(log);
  try {
    const { default: TencentCloudChat } = await import('@tencentcloud/chat');
    return (options) => TencentCloudChat.create(options) as unknown as SdkInstance;
  } finally {
    undo();
  }
}
