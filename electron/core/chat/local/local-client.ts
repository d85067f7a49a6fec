import { ErrorCode } from '../../../../shared/errors';
import { BUDGET_CALLS, BUDGET_WINDOW_MS } from '../../../../shared/limits';
import { fail, ok, type Result } from '../../../../shared/result';
import { FixedWindow } from '../../fixed-window';
import {
  CHAT_EVENT,
  ChatError,
  type ChatEventMap,
  type ChatEventName,
  type ChatHandler,
  type ChatLike,
  type ChatResponse,
  type CounterMap,
  type GroupCounterUpdate,
  type KickedOutType,
} from '../chat-like';
import { EventHub } from './event-hub';
import type { CounterWrite } from './group-state';
import { Outbox } from './outbox';
import { assertDeltaParams, assertGetParams, assertGroupParams, assertSetParams } from './param-checks';
import type { ClientLink, ServicePort } from './service-port';

/** A fault to inject into the next write: `applied` means the service applies it and only the reply is lost. */
export interface Fault {
  code: number;
  applied: boolean;
}

type DeltaOptions = Parameters<ChatLike['increaseGroupCounter']>[0];

/** One user's SDK instance on the local service, with switches to simulate network trouble. */
export interface LocalChatClient extends ChatLike {
  /** Drops or restores the link: while down, counter events are lost and calls wait to be sent. */
  setNetwork(state: 'connected' | 'disconnected'): void;
  /** Makes the next write (one that passes the rate window) fail with `code`. */
  failNext(fault: Fault): void;
}

/** The client side of the local service: login state, the SDK's rate windows, held calls and faults. */
export class LocalClient implements LocalChatClient, ClientLink {
  private user: string | null = null;
  private destroyed = false;
  private fault: Fault | null = null;
  // Per instance, as in the SDK: writes share one window, reads have their own.
  private readonly writes = new FixedWindow(BUDGET_CALLS, BUDGET_WINDOW_MS);
  private readonly reads = new FixedWindow(BUDGET_CALLS, BUDGET_WINDOW_MS);
  private readonly events: EventHub;
  private readonly outbox: Outbox;

  constructor(
    private readonly port: ServicePort,
    private readonly unlimitedAVChatRoom: boolean,
  ) {
    this.outbox = new Outbox(port.courier);
    this.events = new EventHub((name, error) => port.log('error', `A "${name}" handler threw: ${String(error)}`));
  }

  get userID(): string | null {
    return this.user;
  }

  login(options: { userID: string; userSig: string }): Promise<ChatResponse<{ repeatLogin: boolean }>> {
    const { userID, userSig } = (options ?? {}) as Partial<typeof options>;
    if (this.destroyed) return Promise.reject(this.notReady());
    if (typeof userID !== 'string' || userID.trim() === '') {
      return Promise.reject(new ChatError(ErrorCode.USER_ID_INVALID, 'login() needs a userID: a non-empty string.'));
    }
    if (typeof userSig !== 'string' || userSig === '') {
      return Promise.reject(new ChatError(ErrorCode.INVALID_PARAMETER, 'login() needs a userSig: a non-empty string.'));
    }
    if (this.user === userID) return this.outbox.dispatch(() => ok({ repeatLogin: true }));
    if (this.user !== null) {
      const message = `Already logged in as "${this.user}": log out before logging in as "${userID}".`;
      return Promise.reject(new ChatError(ErrorCode.USER_ID_INVALID, message));
    }
    const signIn = (): Result<{ repeatLogin: boolean }> => {
      const signed = this.port.signIn(this, userID);
      if (!signed.ok) return signed;
      this.user = userID;
      return ok({ repeatLogin: false });
    };
    // SDK_READY follows the reply, as it follows the real login once the first sync is done.
    return this.outbox.dispatch(signIn, () => {
      this.emitLater(CHAT_EVENT.SDK_READY, undefined);
      this.emitLater(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connected' });
    });
  }

  logout(): Promise<ChatResponse<object>> {
    if (this.user === null) return Promise.reject(this.notReady());
    this.endSession();
    this.emitLater(CHAT_EVENT.SDK_NOT_READY, undefined);
    return this.outbox.answer(ok({}));
  }

  async destroy(): Promise<void> {
    if (this.user !== null) await this.logout();
    this.destroyed = true;
    this.endSession(); // fails a login still held for the link
    this.events.clear();
    this.port.forget(this);
  }

  on<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    this.events.on(name, handler);
  }

  off<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    this.events.off(name, handler);
  }

  getGroupList(): ReturnType<ChatLike['getGroupList']> {
    return this.signedIn((userID) => this.port.groupList(userID));
  }

  joinGroup(options: { groupID: string }): ReturnType<ChatLike['joinGroup']> {
    assertGroupParams(options);
    const { groupID } = options;
    return this.signedIn((userID) => this.port.joinGroup(userID, groupID, this.unlimitedAVChatRoom));
  }

  getGroupCounters(options: { groupID: string; keyList?: string[] }): ReturnType<ChatLike['getGroupCounters']> {
    assertGetParams(options);
    const { groupID } = options;
    const keyList = options.keyList === undefined ? undefined : [...options.keyList];
    return this.budgeted(this.reads, 'getGroupCounters', (userID) => this.port.getCounters(userID, groupID, keyList));
  }

  setGroupCounters(options: { groupID: string; counters: CounterMap }): ReturnType<ChatLike['setGroupCounters']> {
    assertSetParams(options);
    return this.write(options.groupID, { kind: 'set', counters: new Map(Object.entries(options.counters)) });
  }

  increaseGroupCounter(options: DeltaOptions): ReturnType<ChatLike['increaseGroupCounter']> {
    assertDeltaParams(options);
    return this.write(options.groupID, { kind: 'increase', key: options.key, value: options.value });
  }

  decreaseGroupCounter(options: DeltaOptions): ReturnType<ChatLike['decreaseGroupCounter']> {
    assertDeltaParams(options);
    return this.write(options.groupID, { kind: 'decrease', key: options.key, value: options.value });
  }

  setNetwork(state: 'connected' | 'disconnected'): void {
    if (state === this.outbox.network) return;
    // The event goes first, so handlers hear "connected" before the replies of re-sent calls.
    this.emitLater(CHAT_EVENT.NET_STATE_CHANGE, { state });
    this.outbox.setNetwork(state);
  }

  failNext(fault: Fault): void {
    this.fault = { code: fault.code, applied: fault.applied };
  }

  receive(update: GroupCounterUpdate): void {
    const userID = this.user;
    if (userID === null || this.outbox.network !== 'connected') return;
    this.port.courier.send(() => {
      if (this.user !== userID || this.outbox.network !== 'connected') return;
      this.events.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, update);
    });
  }

  endByService(kick: KickedOutType | null): void {
    this.endSession();
    if (kick !== null) this.emitLater(CHAT_EVENT.KICKED_OUT, { type: kick });
    this.emitLater(CHAT_EVENT.SDK_NOT_READY, undefined);
  }

  private write(groupID: string, write: CounterWrite): Promise<ChatResponse<{ counters: CounterMap }>> {
    return this.budgeted(this.writes, 'set/increase/decrease', (userID) => {
      const fault = this.fault;
      if (fault === null) return this.port.write(userID, groupID, write);
      this.fault = null;
      if (fault.applied) this.port.write(userID, groupID, write);
      const outcome = fault.applied ? 'the service applied the write, but the reply was lost' : 'nothing was applied';
      return fail(fault.code, `Simulated failure ${fault.code}: ${outcome}.`);
    });
  }

  /** The SDK's order: login state first, then the rate window, which counts refused calls too. */
  private budgeted<T>(
    window: FixedWindow,
    what: string,
    send: (userID: string) => Result<T>,
  ): Promise<ChatResponse<T>> {
    if (this.user === null) return Promise.reject(this.notReady());
    const now = this.port.clock.now();
    if (!window.call(now)) {
      const waitMs = (window.closesAt() ?? now) - now + 1;
      const message =
        `Over the frequency limit: ${what} calls are limited to ${BUDGET_CALLS} per ` +
        `${BUDGET_WINDOW_MS / 1000} s per user; the next window opens in ${waitMs} ms.`;
      return Promise.reject(new ChatError(ErrorCode.OVER_FREQUENCY_LIMIT, message));
    }
    return this.signedIn(send);
  }

  private signedIn<T>(send: (userID: string) => Result<T>): Promise<ChatResponse<T>> {
    const userID = this.user;
    if (userID === null) return Promise.reject(this.notReady());
    return this.outbox.dispatch(() => send(userID));
  }

  private endSession(): void {
    this.user = null;
    this.outbox.failHeld(this.notReady());
  }

  private emitLater<N extends ChatEventName>(name: N, data: ChatEventMap[N]): void {
    this.port.courier.send(() => this.events.emit(name, data));
  }

  private notReady(): ChatError {
    const message = this.destroyed
      ? 'This instance was destroyed: create a new client.'
      : 'Not logged in: call login() and wait for SDK_READY first.';
    return new ChatError(ErrorCode.SDK_NOT_READY, message);
  }
}
