import { ErrorCode } from '../../../../shared/errors';
import { messageFor } from '../../../../shared/error-messages';
import type { GroupType } from '../../../../shared/types';
import type { Logger } from '../../logger';
import {
  CHAT_EVENT,
  ChatError,
  type ChatEventMap,
  type ChatEventName,
  type ChatGroup,
  type ChatHandler,
  type ChatLike,
  type ChatResponse,
  type CounterMap,
  type CounterReply,
  type JoinStatus,
} from '../chat-like';
import { fromSdkCounters, fromSdkNumber, toSdkCounters, toSdkNumber } from './number-bridge';
import { SDK_LOG_WARNINGS, type SdkEvent, type SdkGroup, type SdkInstance } from './sdk-surface';

const GROUP_TYPES: readonly GroupType[] = ['Public', 'Private', 'ChatRoom', 'AVChatRoom', 'Community'];

function toChatGroup(group: SdkGroup): ChatGroup {
  const type = GROUP_TYPES.find((known) => known === group.type) ?? 'Public';
  return { groupID: group.groupID, name: group.name || group.groupID, type, memberCount: group.memberCount ?? 0 };
}

const ok = <T>(data: T): ChatResponse<T> => ({ code: 0, data });

/**
 * ChatLike over a `@tencentcloud/chat` instance: the same surface as the embedded service, with
 * values turned from the SDK's numbers into exact bigints (flagged where a number could not carry
 * them) and back (refused when it cannot), and every error given Countdeck's own message, since the
 * SDK downloads its texts at run time.
 */
export class TencentChat implements ChatLike {
  private relays: { name: ChatEventName; handler: unknown; relay: (event: SdkEvent) => void }[] = [];
  private loginPending = false;
  private sdk: SdkInstance;

  /** `makeSdk` creates the instance (`TencentCloudChat.create`), again when one has to be replaced. */
  constructor(
    private readonly makeSdk: () => SdkInstance,
    private readonly log: Logger,
  ) {
    this.sdk = this.open();
  }

  private open(): SdkInstance {
    const sdk = this.makeSdk();
    sdk.setLogLevel(SDK_LOG_WARNINGS);
    for (const { name, relay } of this.relays) sdk.on(name, relay);
    return sdk;
  }

  async login(options: { userID: string; userSig: string }): Promise<ChatResponse<{ repeatLogin: boolean }>> {
    // The SDK never gives up on a login it cannot send and refuses another meanwhile (2025), even after
    // a logout: a sign-in again after a timeout starts over on a fresh instance, its listeners moved along.
    if (this.loginPending) {
      for (const { name, relay } of this.relays) this.sdk.off(name, relay);
      await this.sdk.destroy().catch(() => {});
      this.sdk = this.open();
    }
    this.loginPending = true;
    try {
      const reply = await this.call('login', () => this.sdk.login(options));
      return ok({ repeatLogin: reply.data?.repeatLogin === true });
    } finally {
      this.loginPending = false;
    }
  }

  async logout(): Promise<ChatResponse<object>> {
    await this.call('logout', () => this.sdk.logout());
    return ok({});
  }

  async destroy(): Promise<void> {
    for (const { name, relay } of this.relays) this.sdk.off(name, relay);
    this.relays = [];
    await this.call('destroy', () => this.sdk.destroy());
  }

  on<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    const relay = (event: SdkEvent): void => handler({ name, data: this.translate(name, event.data) });
    this.relays.push({ name, handler, relay });
    this.sdk.on(name, relay);
  }

  off<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    const found = this.relays.find((entry) => entry.name === name && entry.handler === handler);
    if (found === undefined) return;
    this.sdk.off(name, found.relay);
    this.relays = this.relays.filter((entry) => entry !== found);
  }

  async getGroupList(): Promise<ChatResponse<{ groupList: ChatGroup[] }>> {
    const reply = await this.call('getGroupList', () => this.sdk.getGroupList());
    return ok({ groupList: reply.data.groupList.map(toChatGroup) });
  }

  async joinGroup(options: { groupID: string }): Promise<ChatResponse<{ status: JoinStatus; group: ChatGroup }>> {
    const reply = await this.call('joinGroup', () => this.sdk.joinGroup(options));
    const status = reply.data.status as JoinStatus;
    if (reply.data.group !== undefined) return ok({ status, group: toChatGroup(reply.data.group) });
    // Already a member: the SDK answers without the group, so it is looked up.
    const listed = (await this.getGroupList()).data.groupList.find((known) => known.groupID === options.groupID);
    return ok({ status, group: listed ?? toChatGroup({ groupID: options.groupID, name: options.groupID, type: 'Public' }) });
  }

  async getGroupCounters(options: { groupID: string; keyList?: string[] }): Promise<ChatResponse<CounterReply>> {
    const reply = await this.call('getGroupCounters', () => this.sdk.getGroupCounters(options));
    return ok(fromSdkCounters(reply.data.counters));
  }

  async setGroupCounters(options: { groupID: string; counters: CounterMap }): Promise<ChatResponse<CounterReply>> {
    const counters = toSdkCounters(options.counters);
    const reply = await this.call('setGroupCounters', () => this.sdk.setGroupCounters({ groupID: options.groupID, counters }));
    return ok(fromSdkCounters(reply.data.counters));
  }

  async increaseGroupCounter(options: { groupID: string; key: string; value: bigint }): Promise<ChatResponse<CounterReply>> {
    const value = toSdkNumber(options.value);
    const reply = await this.call('increaseGroupCounter', () => this.sdk.increaseGroupCounter({ ...options, value }));
    return ok(fromSdkCounters(reply.data.counters));
  }

  async decreaseGroupCounter(options: { groupID: string; key: string; value: bigint }): Promise<ChatResponse<CounterReply>> {
    const value = toSdkNumber(options.value);
    const reply = await this.call('decreaseGroupCounter', () => this.sdk.decreaseGroupCounter({ ...options, value }));
    return ok(fromSdkCounters(reply.data.counters));
  }

  /** Runs one SDK call; a synchronous throw (wrong parameter types) and a rejection both become a ChatError. */
  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.asChatError(method, error);
    }
  }

  private asChatError(method: string, error: unknown): ChatError {
    const raw = error as { code?: unknown; message?: unknown } | null;
    const code = typeof raw?.code === 'number' ? raw.code : ErrorCode.INVALID_PARAMETER;
    const original = typeof raw?.message === 'string' ? raw.message.trim() : '';
    this.log.warn(`Tencent Cloud Chat ${method} failed: ${code}${original ? ` (${original})` : ''}`);
    if (error instanceof ChatError) return error;
    // No code: the SDK threw before sending anything (wrong parameter types).
    if (typeof raw?.code !== 'number') return new ChatError(code, `The SDK refused the parameters of ${method}.`);
    return new ChatError(code, messageFor(code) ?? `Tencent Cloud Chat refused ${method} (error ${code}).`);
  }

  private translate<N extends ChatEventName>(name: N, data: unknown): ChatEventMap[N] {
    if (name === CHAT_EVENT.GROUP_COUNTER_UPDATED) {
      const { groupID, key, value } = data as { groupID: string; key: string; value: number };
      const converted = fromSdkNumber(value);
      return (converted.inexact ? { groupID, key, value: converted.value, inexact: true } : { groupID, key, value: converted.value }) as ChatEventMap[N];
    }
    if (name === CHAT_EVENT.ERROR) {
      const { code, message } = data as { code: number; message?: string };
      return { code, message: messageFor(code) ?? message ?? `Error ${code}.` } as ChatEventMap[N];
    }
    return data as ChatEventMap[N];
  }
}
