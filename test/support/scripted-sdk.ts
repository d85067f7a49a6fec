import { CHAT_EVENT, type KickedOutType } from '../../electron/core/chat/chat-like';
import type { SdkCounters, SdkEvent, SdkFactory, SdkGroup, SdkInstance, SdkResponse } from '../../electron/core/chat/tencent/sdk-surface';
import { createCore, type Core, type CoreOptions } from '../../electron/core/create-core';
import { FixedWindow } from '../../electron/core/fixed-window';
import { ErrorCode } from '../../shared/errors';
import { BUDGET_CALLS, BUDGET_WINDOW_MS } from '../../shared/limits';
import type { FakeClock } from './fake-clock';
import { SdkError, type Endpoint, type Outcome, type ScriptedServer, type ServerRequest } from './scripted-sdk-server';

export { ScriptedServer, SdkError } from './scripted-sdk-server';

/** How long the SDK answers getGroupCounters from its cache after the last fetch or notice. */
export const SDK_CACHE_MS = 30_000;

type Handler = (event: SdkEvent) => void;

/** A request the SDK sent (or holds) and has no answer to yet. */
interface Pending {
  request: ServerRequest;
  transmissions: number;
  done: boolean;
  resolve: (response: SdkResponse<never>) => void;
  reject: (error: SdkError) => void;
}

/**
 * A scripted `@tencentcloud/chat` instance (numbers, not bigint) on a ScriptedServer, with the real
 * SDK's client-side rules: login then SDK_READY; per-command fixed windows (set/increase/decrease
 * share one, get has its own; refused calls count; the 21st fails with 2996 before sending); 3122
 * without Ultimate; getGroupCounters answered from a cache for 30 s after the last fetch or notice
 * (fetches all keys, filters keyList locally; write replies do not touch the cache); requests held
 * while the link is down and RE-SENT on reconnect with the same payload and no idempotency key.
 */
export class ScriptedSdk implements SdkInstance, Endpoint {
  userID: string | null = null;
  link: 'connected' | 'disconnected' = 'connected';
  /** Every request put on the wire, re-sends included. */
  readonly sent: { command: ServerRequest['command']; resend: boolean }[] = [];
  logLevel: number | null = null;
  private userSig = '';
  private epoch = 0; // bumped at each drop: replies and notices of an older link are lost
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly windows = { write: new FixedWindow(BUDGET_CALLS, BUDGET_WINDOW_MS), read: new FixedWindow(BUDGET_CALLS, BUDGET_WINDOW_MS) };
  private pending: Pending[] = [];
  private readonly cache = new Map<string, { updatedAt: number; seq: number; counters: Map<string, number> }>();
  private nextTimeout: { applied: boolean; afterMs: number } | null = null;
  private dropAfterApply = false;

  constructor(
    readonly server: ScriptedServer,
    readonly options: { SDKAppID: number; unlimitedAVChatRoom: boolean },
  ) {}

  // ——— the SdkInstance surface ———

  login(options: { userID: string; userSig: string }): Promise<SdkResponse<{ repeatLogin?: boolean }>> {
    const { userID, userSig } = options;
    if (this.userID === userID) return this.answer({ ok: true, data: { repeatLogin: true } });
    const refused = this.server.authenticate(userID, userSig);
    if (refused !== null) return this.answer({ ok: false, error: refused });
    this.signOut();
    this.userID = userID;
    this.userSig = userSig;
    this.server.signIn(this);
    const reply = this.answer<{ repeatLogin?: boolean }>({ ok: true, data: { repeatLogin: false } });
    this.emit(CHAT_EVENT.SDK_READY);
    this.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: this.link });
    return reply;
  }

  async logout(): Promise<unknown> {
    this.signOut();
    return { code: 0, data: {} };
  }

  async destroy(): Promise<unknown> {
    this.signOut();
    this.handlers.clear();
    return { code: 0, data: {} };
  }

  on(eventName: string, handler: Handler): void {
    const set = this.handlers.get(eventName) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(eventName, set);
  }

  off(eventName: string, handler: Handler): void {
    this.handlers.get(eventName)?.delete(handler);
  }

  setLogLevel(level: number): void {
    this.logLevel = level;
  }

  getGroupList(): Promise<SdkResponse<{ groupList: SdkGroup[] }>> {
    return this.guarded(false) ?? this.request<{ groupList: SdkGroup[] }>({ command: 'getGroupList' });
  }

  joinGroup(options: { groupID: string }): Promise<SdkResponse<{ status: string; group?: SdkGroup }>> {
    const refused = this.guarded(false);
    if (refused) return refused;
    const { groupID } = options;
    const joined = this.request<{ status: string; group?: SdkGroup }>({ command: 'joinGroup', groupID, unlimitedAVChatRoom: this.options.unlimitedAVChatRoom });
    return joined.then((reply) => {
      // Joining a live room starts an empty counter cache for it, which notices then fill (as the SDK does).
      if (reply.data.status === 'JoinedSuccess' && reply.data.group?.type === 'AVChatRoom') this.cache.set(groupID, { updatedAt: -Infinity, seq: 0, counters: new Map() });
      return reply;
    });
  }

  getGroupCounters(options: { groupID: string; keyList?: string[] }): Promise<SdkResponse<{ counters: SdkCounters }>> {
    const { groupID, keyList = [] } = options;
    const refused = this.guarded(true);
    if (refused) return refused;
    const cached = this.cacheOf(groupID);
    const pick = () => ({ counters: Object.fromEntries([...cached.counters].filter(([key]) => keyList.length === 0 || keyList.includes(key))) });
    if (this.server.clock.now() - cached.updatedAt < SDK_CACHE_MS) return this.answer({ ok: true, data: pick() });
    if (!this.windows.read.call(this.server.clock.now())) return this.overLimit('getGroupCounters');
    return this.request<{ counters: SdkCounters; groupCounterSeq: number }>({ command: 'get', groupID }).then(({ data }) => {
      this.updateCache(groupID, data.counters, data.groupCounterSeq);
      return { code: 0, data: pick() };
    });
  }

  setGroupCounters(options: { groupID: string; counters: SdkCounters }): Promise<SdkResponse<{ counters: SdkCounters }>> {
    if (typeof options?.groupID !== 'string' || typeof options.counters !== 'object') throw new Error('Params validate failed.');
    return this.write({ command: 'set', groupID: options.groupID, counters: { ...options.counters } });
  }

  increaseGroupCounter(options: { groupID: string; key: string; value: number }): Promise<SdkResponse<{ counters: SdkCounters }>> {
    return this.write({ command: 'increase', ...checkedDelta(options) });
  }

  decreaseGroupCounter(options: { groupID: string; key: string; value: number }): Promise<SdkResponse<{ counters: SdkCounters }>> {
    return this.write({ command: 'decrease', ...checkedDelta(options) });
  }

  // ——— scripting ———

  /** The link drops: NET_STATE_CHANGE disconnected; every request made or in flight is held, replies and notices are lost. */
  dropLink(): void {
    if (this.link === 'disconnected') return;
    this.link = 'disconnected';
    this.epoch += 1;
    this.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
  }

  /** The link returns: NET_STATE_CHANGE connected, then every pending request is sent AGAIN, as is. */
  restoreLink(): void {
    if (this.link === 'connected') return;
    this.link = 'connected';
    this.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connected' });
    for (const pending of [...this.pending]) this.transmit(pending);
  }

  /** The next request reaches the server and is applied, then the link drops before its reply. */
  applyThenDrop(): void {
    this.dropAfterApply = true;
  }

  /** The next request fails with 2801 after `afterMs`, the server having applied it or not. */
  timeoutNext(options: { applied: boolean; afterMs?: number }): void {
    this.nextTimeout = { applied: options.applied, afterMs: options.afterMs ?? 0 };
  }

  /** The service signs this instance out: KICKED_OUT, then SDK_NOT_READY. */
  kick(type: KickedOutType): void {
    this.emit(CHAT_EVENT.KICKED_OUT, { type });
    this.emit(CHAT_EVENT.SDK_NOT_READY);
    this.signOut();
  }

  /** The UserSig in use expires: it no longer signs in, and the instance is kicked out ('userSigExpired'). */
  expireUserSig(): void {
    this.server.expireSig(this.userSig);
    this.kick('userSigExpired');
  }

  /** A server notice: updates the cache (if the group has one, and the notice is not older) and emits one event per key. */
  notice(groupID: string, changes: SdkCounters, seq: number): void {
    if (this.link !== 'connected') return;
    const { epoch, userID } = this;
    this.server.later(() => {
      if (epoch !== this.epoch || userID !== this.userID) return;
      if (this.cache.has(groupID)) this.updateCache(groupID, changes, seq);
      for (const [key, value] of Object.entries(changes)) this.deliver(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID, key, value });
    });
  }

  // ——— internals ———

  private write(request: ServerRequest): Promise<SdkResponse<{ counters: SdkCounters }>> {
    const refused = this.guarded(true);
    if (refused) return refused;
    this.cacheOf(request.groupID!);
    if (!this.windows.write.call(this.server.clock.now())) return this.overLimit('set/increase/decreaseGroupCounter');
    return this.request(request);
  }

  /** The SDK's checks before any request: signed in (2999), then the edition (3122) for counter calls. */
  private guarded(counterCall: boolean): Promise<SdkResponse<never>> | null {
    if (this.userID === null) return this.answer({ ok: false, error: new SdkError(ErrorCode.SDK_NOT_READY, 'SDK is not ready.') });
    if (counterCall && !this.server.ultimate) return this.answer({ ok: false, error: new SdkError(ErrorCode.NO_USE, 'Feature not available in this edition.') });
    return null;
  }

  private overLimit(what: string): Promise<SdkResponse<never>> {
    return this.answer({ ok: false, error: new SdkError(ErrorCode.OVER_FREQUENCY_LIMIT, `${what}: over the frequency limit.`) });
  }

  private request<T>(request: ServerRequest): Promise<SdkResponse<T>> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { request, transmissions: 0, done: false, resolve: resolve as Pending['resolve'], reject };
      this.pending.push(pending);
      if (this.link === 'connected') this.transmit(pending);
    });
  }

  private transmit(pending: Pending): void {
    const userID = this.userID;
    if (userID === null) return this.settle(pending, { ok: false, error: new SdkError(ErrorCode.SDK_NOT_READY, 'SDK is not ready.') }, 0);
    pending.transmissions += 1;
    const resend = pending.transmissions > 1;
    this.sent.push({ command: pending.request.command, resend });
    const timeout = this.nextTimeout;
    const drop = this.dropAfterApply;
    this.nextTimeout = null;
    this.dropAfterApply = false;
    if (timeout !== null && !timeout.applied) return this.timeOut(pending, timeout.afterMs);
    const outcome = this.server.handle(userID, pending.request, resend);
    if (timeout !== null) return this.timeOut(pending, timeout.afterMs);
    if (drop) return this.dropLink();
    const epoch = this.epoch;
    this.server.later(() => epoch === this.epoch && this.settle(pending, outcome, 0));
  }

  private timeOut(pending: Pending, afterMs: number): void {
    this.settle(pending, { ok: false, error: new SdkError(ErrorCode.NETWORK_TIMEOUT, 'Request timed out.') }, afterMs);
  }

  private settle(pending: Pending, outcome: Outcome, afterMs: number): void {
    const run = (): void => {
      if (pending.done) return;
      pending.done = true;
      this.pending = this.pending.filter((other) => other !== pending);
      if (outcome.ok) pending.resolve({ code: 0, data: outcome.data as never });
      else pending.reject(outcome.error);
    };
    if (afterMs > 0) this.server.later(run, afterMs);
    else run();
  }

  /** A reply that needs no server (cache, client-side refusal), delivered after the latency. */
  private answer<T = never>(outcome: Outcome): Promise<SdkResponse<T>> {
    return new Promise((resolve, reject) =>
      this.server.later(() => (outcome.ok ? resolve({ code: 0, data: outcome.data as T }) : reject(outcome.error))),
    );
  }

  private cacheOf(groupID: string) {
    let entry = this.cache.get(groupID);
    if (entry === undefined) {
      entry = { updatedAt: -Infinity, seq: 0, counters: new Map() };
      this.cache.set(groupID, entry);
    }
    return entry;
  }

  private updateCache(groupID: string, counters: SdkCounters, seq: number): void {
    const entry = this.cacheOf(groupID);
    if (seq > 0 && seq < entry.seq) return;
    for (const [key, value] of Object.entries(counters)) entry.counters.set(key, value);
    entry.seq = seq;
    entry.updatedAt = this.server.clock.now();
  }

  private signOut(): void {
    if (this.userID === null) return;
    this.userID = null;
    this.server.signOut(this);
    for (const pending of [...this.pending]) this.settle(pending, { ok: false, error: new SdkError(ErrorCode.SDK_NOT_READY, 'Signed out.') }, 0);
  }

  /** Emits an event after the latency, as the SDK does: handlers never run inside the call that caused it. */
  private emit(name: string, data?: unknown): void {
    this.server.later(() => this.deliver(name, data));
  }

  private deliver(name: string, data?: unknown): void {
    for (const handler of [...(this.handlers.get(name) ?? [])]) handler({ name, data });
  }
}

function checkedDelta(options: { groupID: string; key: string; value: number }): Omit<ServerRequest, 'command'> {
  // The SDK checks types only (not sign or integrality), and throws synchronously.
  if (typeof options?.groupID !== 'string' || typeof options.key !== 'string' || typeof options.value !== 'number') throw new Error('Params validate failed.');
  return { groupID: options.groupID, key: options.key, value: options.value };
}

/** A `TencentCloudChat.create` double on `server`; every instance it makes is kept in `instances`. */
export function scriptedSdkFactory(server: ScriptedServer): { factory: SdkFactory; instances: ScriptedSdk[] } {
  const instances: ScriptedSdk[] = [];
  const factory: SdkFactory = (options) => {
    const sdk = new ScriptedSdk(server, options);
    instances.push(sdk);
    return sdk;
  };
  return { factory, instances };
}

/** Lets fake time pass in small steps until the promise settles (at most `limitMs`). */
export async function settle<T>(clock: FakeClock, promise: Promise<T>, stepMs = 10, limitMs = 120_000): Promise<T> {
  let done = false;
  const watched = promise.finally(() => (done = true));
  watched.catch(() => {});
  for (let waited = 0; !done && waited < limitMs; waited += stepMs) await clock.advance(stepMs);
  return watched;
}

export const SDK_APP_ID = 1_400_000_001;

/** A core switched to Tencent Cloud Chat (through `api.connectTencent`) on the scripted server, signed in as `userID`. */
export async function openTencentCore(
  server: ScriptedServer,
  clock: FakeClock,
  userID: string,
  options: Omit<CoreOptions, 'clock' | 'loadSdk'> & { userSig?: string } = {},
): Promise<{ core: Core; sdk: ScriptedSdk; userSig: string }> {
  const { factory, instances } = scriptedSdkFactory(server);
  const { userSig = server.issueSig(userID), ...coreOptions } = options;
  const core = await settle(clock, createCore({ ...coreOptions, clock, loadSdk: async () => factory }));
  await settle(clock, core.api.connectTencent({ SDKAppID: String(SDK_APP_ID), userID, userSig, remember: false }));
  return { core, sdk: instances[0]!, userSig };
}
