import type { Unsubscribe } from '../../../shared/counters-api';
import { messageFor } from '../../../shared/error-messages';
import { CountdeckError, ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { BackendKind, CounterUpdate, SessionSnapshot, SessionState } from '../../../shared/types';
import { CHAT_EVENT, type ChatEventMap, type ChatEventName, type ChatHandler, type ChatLike } from '../chat/chat-like';
import type { Clock } from '../clock';
import { toErrorInfo } from '../error-info';
import { Listeners } from '../listeners';
import type { Logger } from '../logger';
import { CounterStore } from './counter-store';
import { kickReason } from './kick-reasons';
import { canTransition, isTerminal } from './session-state';

export interface SessionOptions {
  /** Which connection this session belongs to (see SessionSnapshot.connection). */
  connection: number;
  chat: ChatLike;
  clock: Clock;
  backend: BackendKind;
  log: Logger;
  /** Something to tell the operator from the start (a recovered state file). */
  notice?: ErrorInfo | null;
  /** How long a sign-in may take before it is reported as failed. */
  signInTimeoutMs?: number;
}

const LINK_LOST: ErrorInfo = { code: ErrorCode.NETWORK_ERROR, message: messageFor(ErrorCode.NETWORK_ERROR)! };

/**
 * One signed-in user: drives the SDK's login, follows its state through its events, and holds the
 * counters of the groups it watches, fed by GROUP_COUNTER_UPDATED.
 */
export class Session {
  readonly counters = new CounterStore();
  private state: SessionState = 'signed-out';
  private reason: ErrorInfo | null = null;
  private since: number;
  private userID: string | null = null;
  private sdkReady = false;
  /** The link is down as far as the SDK last said; a sign-in that times out then could not reach the service. */
  private linkDown = false;
  private readonly changes = new Listeners<SessionSnapshot>();
  private readonly updates = new Listeners<CounterUpdate>();
  private readonly readyAgain = new Listeners<void>();
  private readonly detach: Unsubscribe[] = [];
  private signInWaiter: ((error: ErrorInfo | null) => void) | null = null;
  /** Which sign-in is current, so a late answer to an abandoned one decides nothing. */
  private attempt = 0;

  constructor(private readonly options: SessionOptions) {
    this.since = options.clock.now();
    this.listen(CHAT_EVENT.SDK_READY, () => this.onSdkReady());
    this.listen(CHAT_EVENT.SDK_NOT_READY, () => this.onSdkNotReady());
    this.listen(CHAT_EVENT.NET_STATE_CHANGE, ({ data }) => this.onNetState(data.state));
    this.listen(CHAT_EVENT.KICKED_OUT, ({ data }) => this.enter('kicked-out', kickReason(data.type)));
    this.listen(CHAT_EVENT.GROUP_COUNTER_UPDATED, ({ data }) => this.onCounterUpdated(data));
    this.listen(CHAT_EVENT.ERROR, ({ data }) => options.log.warn(`SDK error ${data.code}: ${data.message}`));
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  get current(): SessionState {
    return this.state;
  }

  /** The state as the renderer sees it. */
  snapshot(): SessionSnapshot {
    return {
      connection: this.options.connection,
      state: this.state,
      backend: this.options.backend,
      userID: this.userID,
      reason: this.reason,
      notice: this.options.notice ?? null,
      since: this.since,
    };
  }

  onChange(listener: (snapshot: SessionSnapshot) => void): Unsubscribe {
    return this.changes.add(listener);
  }

  onCounterUpdate(listener: (update: CounterUpdate) => void): Unsubscribe {
    return this.updates.add(listener);
  }

  /** Called each time the session becomes ready, after sign-in or after a lost link came back. */
  onReady(listener: () => void): Unsubscribe {
    return this.readyAgain.add(listener);
  }

  /** Signs in and resolves once the SDK is ready; rejects with the reason when it cannot be. */
  async signIn(credentials: { userID: string; userSig: string }): Promise<void> {
    if (!canTransition(this.state, 'signing-in')) {
      throw new CountdeckError(ErrorCode.INVALID_REQUEST, `Cannot sign in while ${this.state}.`);
    }
    this.userID = credentials.userID;
    this.sdkReady = false;
    this.enter('signing-in', null);
    const attempt = ++this.attempt;
    const outcome = new Promise<ErrorInfo | null>((resolve) => (this.signInWaiter = resolve));
    const timeout = this.options.clock.setTimeout(() => this.failSignIn(attempt, this.timeoutReason()), this.options.signInTimeoutMs ?? 15_000);
    this.options.chat.login(credentials).then(
      () => attempt === this.attempt && this.sdkReady && this.enter('ready', null),
      (error: unknown) => this.failSignIn(attempt, toErrorInfo(error)),
    );
    const failure = await outcome;
    this.options.clock.clearTimeout(timeout);
    if (failure !== null) throw CountdeckError.from(failure);
  }

  /** Signs out and forgets the held counters. */
  async signOut(): Promise<void> {
    if (this.state === 'signed-out') return;
    this.enter('signed-out', null);
    this.counters.clear();
    await this.options.chat.logout().catch((error: unknown) => {
      this.options.log.warn(`Sign-out: ${toErrorInfo(error).message}`);
    });
  }

  /** Stops listening to the SDK. */
  close(): void {
    for (const stop of this.detach.splice(0)) stop();
    this.changes.clear();
    this.updates.clear();
    this.readyAgain.clear();
  }

  private listen<N extends ChatEventName>(name: N, handler: (event: { data: ChatEventMap[N] }) => void): void {
    const guarded: ChatHandler<N> = (event) => {
      try {
        handler(event);
      } catch (error) {
        this.options.log.error(`Handling ${name}: ${toErrorInfo(error).message}`);
      }
    };
    this.options.chat.on(name, guarded);
    this.detach.push(() => this.options.chat.off(name, guarded));
  }

  private onSdkReady(): void {
    this.sdkReady = true;
    if (this.state === 'signing-in' || this.state === 'reconnecting') this.enter('ready', null);
  }

  private onSdkNotReady(): void {
    this.sdkReady = false;
    if (this.state === 'ready' || this.state === 'reconnecting') {
      this.enter('failed', { code: ErrorCode.SDK_NOT_READY, message: 'The service signed this session out.' });
    }
  }

  private onNetState(state: 'connected' | 'connecting' | 'disconnected'): void {
    this.linkDown = state === 'disconnected';
    if (state === 'connected') {
      if (this.state === 'reconnecting' && this.sdkReady) this.enter('ready', null);
    } else if (this.state === 'ready') {
      this.enter('reconnecting', LINK_LOST);
    }
  }

  private onCounterUpdated(data: ChatEventMap['onGroupCounterUpdated']): void {
    if (isTerminal(this.state)) return;
    const update = this.counters.applyEvent(
      { groupID: data.groupID, key: data.key, value: data.value, seq: data.groupCounterSeq, inexact: data.inexact },
      this.options.clock.now(),
    );
    if (update !== null) this.updates.emit(update, (error) => this.reportListenerError(error));
  }

  /** Publishes counter changes found by a fetch, as if they were events. */
  publishChanges(changes: readonly CounterUpdate[]): void {
    for (const change of changes) this.updates.emit(change, (error) => this.reportListenerError(error));
  }

  private timeoutReason(): ErrorInfo {
    const code = this.linkDown ? ErrorCode.CANNOT_REACH : ErrorCode.SIGN_IN_TIMEOUT;
    return { code, message: messageFor(code)! };
  }

  private failSignIn(attempt: number, reason: ErrorInfo): void {
    if (attempt === this.attempt && this.state === 'signing-in') this.enter('failed', reason);
  }

  private enter(next: SessionState, reason: ErrorInfo | null): void {
    if (next === this.state || !canTransition(this.state, next)) return;
    const wasReady = this.state === 'ready';
    this.state = next;
    this.reason = reason;
    this.since = this.options.clock.now();
    if (next === 'reconnecting') this.counters.markAllStale();
    this.options.log.info(`Session ${next}${reason ? `: ${reason.message}` : ''}`);
    if (next !== 'signing-in') this.settleSignIn(next === 'ready' ? null : reason);
    this.changes.emit(this.snapshot(), (error) => this.reportListenerError(error));
    if (next === 'ready' && !wasReady) this.readyAgain.emit(undefined, (error) => this.reportListenerError(error));
  }

  private settleSignIn(failure: ErrorInfo | null): void {
    const waiter = this.signInWaiter;
    this.signInWaiter = null;
    waiter?.(failure ?? (this.state === 'ready' ? null : { code: ErrorCode.SDK_NOT_READY, message: `Sign-in ended: ${this.state}.` }));
  }

  private reportListenerError(error: unknown): void {
    this.options.log.error(`A session listener failed: ${toErrorInfo(error).message}`);
  }
}
