import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { CHAT_EVENT, ChatError, type ChatEventName, type KickedOutType } from '../../electron/core/chat/chat-like';
import type { Logger } from '../../electron/core/logger';
import { Session } from '../../electron/core/session/session';
import { ErrorCode } from '../../shared/errors';
import type { CounterUpdate, SessionSnapshot } from '../../shared/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { ScriptedChat } from '../support/scripted-chat';

const CREDENTIALS = { userID: 'operator', userSig: 'sig' };
const ALL_EVENTS = Object.values(CHAT_EVENT) as ChatEventName[];

let clock: FakeClock;
let chat: ScriptedChat;
let log: { [K in keyof Logger]: Mock<Logger[K]> };
let session: Session;
let changes: SessionSnapshot[];

/** Lets pending promise jobs run (fake time does not move). */
const settle = () => clock.advance(0);

/** Where a promise stands, without waiting for it. */
function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; error: unknown } {
  const status = { state: 'pending' as 'pending' | 'resolved' | 'rejected', error: undefined as unknown };
  promise.then(
    () => (status.state = 'resolved'),
    (error: unknown) => {
      status.state = 'rejected';
      status.error = error;
    },
  );
  return status;
}

/** Signs in and answers with the login reply, then SDK_READY. */
async function signInReady(): Promise<void> {
  const signingIn = session.signIn(CREDENTIALS);
  chat.takeLogin().resolve();
  await settle();
  chat.emit(CHAT_EVENT.SDK_READY);
  await signingIn;
}

beforeEach(() => {
  clock = createFakeClock();
  chat = new ScriptedChat();
  log = { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
  session = new Session({ connection: 1, chat, clock, log, backend: 'local' });
  changes = [];
  session.onChange((snapshot) => changes.push(snapshot));
});

describe('Session sign-in', () => {
  it('starts signed out and attaches one handler per SDK event', () => {
    expect(session.snapshot()).toMatchObject({ state: 'signed-out', userID: null, reason: null, backend: 'local', notice: null });
    for (const name of ALL_EVENTS) expect(chat.handlerCount(name), name).toBe(1);
  });

  it('becomes ready only when both the login reply and SDK_READY came (reply first)', async () => {
    const readies = vi.fn();
    session.onReady(readies);
    const signingIn = track(session.signIn(CREDENTIALS));
    expect(session.current).toBe('signing-in');
    expect(chat.logins[0]!.credentials).toEqual(CREDENTIALS);
    chat.takeLogin().resolve();
    await settle();
    expect(session.current).toBe('signing-in');
    expect(signingIn.state).toBe('pending');
    await clock.advance(1_234);
    chat.emit(CHAT_EVENT.SDK_READY);
    await settle();
    expect(signingIn.state).toBe('resolved');
    expect(session.snapshot()).toMatchObject({ state: 'ready', userID: 'operator', reason: null, since: clock.now() });
    expect(changes.map((change) => change.state)).toEqual(['signing-in', 'ready']);
    expect(readies).toHaveBeenCalledTimes(1);
  });

  it('becomes ready when SDK_READY comes before the login reply, and the late reply changes nothing', async () => {
    const readies = vi.fn();
    session.onReady(readies);
    const signingIn = track(session.signIn(CREDENTIALS));
    chat.emit(CHAT_EVENT.SDK_READY);
    await settle();
    expect(signingIn.state).toBe('resolved');
    expect(session.current).toBe('ready');
    chat.takeLogin().resolve();
    await settle();
    expect(changes.map((change) => change.state)).toEqual(['signing-in', 'ready']);
    expect(readies).toHaveBeenCalledTimes(1);
  });

  it("fails with the SDK's code when the login is rejected", async () => {
    const signingIn = session.signIn(CREDENTIALS);
    chat.takeLogin().reject(new ChatError(ErrorCode.USERSIG_EXPIRED, 'UserSig expired.'));
    await expect(signingIn).rejects.toMatchObject({ code: ErrorCode.USERSIG_EXPIRED, message: 'UserSig expired.' });
    expect(session.snapshot()).toMatchObject({ state: 'failed', reason: { code: ErrorCode.USERSIG_EXPIRED, message: 'UserSig expired.' } });
  });

  it('fails with INTERNAL when the login throws something without a code', async () => {
    const signingIn = session.signIn(CREDENTIALS);
    chat.takeLogin().reject(new TypeError('boom'));
    await expect(signingIn).rejects.toMatchObject({ code: ErrorCode.INTERNAL });
    expect(session.snapshot().reason?.message).toMatch(/boom/);
  });

  it('fails with SIGN_IN_TIMEOUT when nothing answers in time, and ignores the late answers', async () => {
    const signingIn = track(session.signIn(CREDENTIALS));
    await clock.advance(14_999);
    expect(session.current).toBe('signing-in');
    await clock.advance(1);
    expect(signingIn.state).toBe('rejected');
    expect(signingIn.error).toMatchObject({ code: ErrorCode.SIGN_IN_TIMEOUT });
    expect(session.snapshot().reason).toMatchObject({ code: ErrorCode.SIGN_IN_TIMEOUT });
    chat.emit(CHAT_EVENT.SDK_READY);
    chat.takeLogin().resolve();
    await settle();
    expect(session.current).toBe('failed');
    expect(changes.map((change) => change.state)).toEqual(['signing-in', 'failed']);
  });

  it('honours signInTimeoutMs, and the timer is cancelled once ready', async () => {
    session = new Session({ connection: 1, chat, clock, log, backend: 'tencent', signInTimeoutMs: 500 });
    const first = track(session.signIn(CREDENTIALS));
    await clock.advance(500);
    expect(first.error).toMatchObject({ code: ErrorCode.SIGN_IN_TIMEOUT });
    chat.takeLogin();
    await signInReady();
    await clock.advance(60_000);
    expect(session.current).toBe('ready');
  });

  it('refuses to sign in while already signing in or ready', async () => {
    void session.signIn(CREDENTIALS).catch(() => {});
    await expect(session.signIn(CREDENTIALS)).rejects.toMatchObject({ code: ErrorCode.INVALID_REQUEST, message: 'Cannot sign in while signing-in.' });
    expect(chat.logins).toHaveLength(1);
  });

  it('settles a pending sign-in when the operator signs out', async () => {
    const signingIn = session.signIn(CREDENTIALS);
    await session.signOut();
    await expect(signingIn).rejects.toMatchObject({ code: ErrorCode.SDK_NOT_READY });
    expect(session.current).toBe('signed-out');
    expect(chat.logoutCalls).toBe(1);
  });

  // After a sign-in timed out, the late rejection of that abandoned login must not fail the next one.
  it('does not let a late reply to an abandoned sign-in decide the next one', async () => {
    const first = session.signIn(CREDENTIALS).catch(() => 'failed');
    await clock.advance(15_000);
    await expect(first).resolves.toBe('failed');
    const abandoned = chat.takeLogin();
    const second = track(session.signIn(CREDENTIALS));
    abandoned.reject(new ChatError(ErrorCode.NETWORK_TIMEOUT, 'The first login timed out.'));
    await settle();
    expect(session.current).toBe('signing-in');
    chat.takeLogin().resolve();
    chat.emit(CHAT_EVENT.SDK_READY);
    await settle();
    expect(second.state).toBe('resolved');
    expect(session.current).toBe('ready');
  });
});

describe('Session link and kick-out', () => {
  it('goes reconnecting on a lost link (held counters turn stale), and ready again when it is back', async () => {
    const readies = vi.fn();
    session.onReady(readies);
    await signInReady();
    session.counters.applySnapshot('live-friday', new Map([['likes', 1n]]), 1, clock.now());
    expect(session.counters.isFresh('live-friday', clock.now())).toBe(true);

    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    expect(session.snapshot()).toMatchObject({ state: 'reconnecting', reason: { code: ErrorCode.NETWORK_ERROR } });
    expect(session.isReady).toBe(false);
    expect(session.counters.isFresh('live-friday', clock.now())).toBe(false);
    expect(session.counters.value('live-friday', 'likes')).toBe(1n);

    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connecting' });
    expect(session.current).toBe('reconnecting');
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connected' });
    expect(session.snapshot()).toMatchObject({ state: 'ready', reason: null });
    expect(readies).toHaveBeenCalledTimes(2);
    expect(changes.map((change) => change.state)).toEqual(['signing-in', 'ready', 'reconnecting', 'ready']);
  });

  it('also comes back from reconnecting on SDK_READY', async () => {
    await signInReady();
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connecting' });
    expect(session.current).toBe('reconnecting');
    chat.emit(CHAT_EVENT.SDK_READY);
    expect(session.current).toBe('ready');
  });

  it.each<[KickedOutType, number]>([
    ['multipleDevice', ErrorCode.KICKED_OUT_MULT_DEVICE],
    ['multipleAccount', ErrorCode.KICKED_OUT_MULT_ACCOUNT],
    ['userSigExpired', ErrorCode.KICKED_OUT_USERSIG_EXPIRED],
    ['REST_API_Kick', ErrorCode.KICKED_OUT_REST_API],
  ])('is kicked out (%s) with code %i, and the SDK_NOT_READY that follows keeps that reason', async (type, code) => {
    await signInReady();
    chat.emit(CHAT_EVENT.KICKED_OUT, { type });
    expect(session.snapshot()).toMatchObject({ state: 'kicked-out', reason: { code } });
    expect(session.snapshot().reason?.message).toMatch(/^Signed out/);
    chat.emit(CHAT_EVENT.SDK_NOT_READY);
    expect(session.snapshot()).toMatchObject({ state: 'kicked-out', reason: { code } });
  });

  it('is kicked out from reconnecting too', async () => {
    await signInReady();
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    chat.emit(CHAT_EVENT.KICKED_OUT, { type: 'multipleDevice' });
    expect(session.snapshot()).toMatchObject({ state: 'kicked-out', reason: { code: ErrorCode.KICKED_OUT_MULT_DEVICE } });
  });

  it('signs in again after a kick-out', async () => {
    const readies = vi.fn();
    session.onReady(readies);
    await signInReady();
    chat.emit(CHAT_EVENT.KICKED_OUT, { type: 'multipleAccount' });
    const again = session.signIn({ userID: 'moderator', userSig: 'sig2' });
    expect(session.snapshot()).toMatchObject({ state: 'signing-in', userID: 'moderator', reason: null });
    chat.emit(CHAT_EVENT.SDK_READY);
    await again;
    expect(session.snapshot()).toMatchObject({ state: 'ready', userID: 'moderator', reason: null });
    expect(readies).toHaveBeenCalledTimes(2);
  });

  it('fails with SDK_NOT_READY when the SDK signs the session out while ready or reconnecting', async () => {
    await signInReady();
    chat.emit(CHAT_EVENT.SDK_NOT_READY);
    expect(session.snapshot()).toMatchObject({ state: 'failed', reason: { code: ErrorCode.SDK_NOT_READY } });

    const again = session.signIn(CREDENTIALS);
    chat.emit(CHAT_EVENT.SDK_READY);
    await again;
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    chat.emit(CHAT_EVENT.SDK_NOT_READY);
    expect(session.snapshot()).toMatchObject({ state: 'failed', reason: { code: ErrorCode.SDK_NOT_READY } });
    // A link that comes back after that does not revive the session.
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connected' });
    expect(session.current).toBe('failed');
  });

  it('ignores late or illegal events', async () => {
    chat.emit(CHAT_EVENT.SDK_READY);
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connected' });
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    chat.emit(CHAT_EVENT.KICKED_OUT, { type: 'multipleDevice' });
    chat.emit(CHAT_EVENT.SDK_NOT_READY);
    chat.emit(CHAT_EVENT.ERROR, { code: 60022, message: 'busy' });
    expect(session.snapshot()).toMatchObject({ state: 'signed-out', reason: null });
    expect(changes).toEqual([]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('60022'));

    // A lost link while signing in is not a reconnect; a connected while ready is no news.
    const signingIn = session.signIn(CREDENTIALS);
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    expect(session.current).toBe('signing-in');
    chat.emit(CHAT_EVENT.SDK_READY);
    await signingIn;
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'connected' });
    chat.emit(CHAT_EVENT.SDK_READY);
    expect(changes.map((change) => change.state)).toEqual(['signing-in', 'ready']);
  });

  it('a listener that throws does not keep the others from hearing changes, updates and readiness', async () => {
    const heard = { changes: 0, updates: 0, readies: 0 };
    session.onChange(() => {
      throw new Error('change listener broke');
    });
    session.onChange(() => (heard.changes += 1));
    session.onReady(() => {
      throw new Error('ready listener broke');
    });
    session.onReady(() => (heard.readies += 1));
    session.onCounterUpdate(() => {
      throw new Error('update listener broke');
    });
    session.onCounterUpdate(() => (heard.updates += 1));
    await signInReady();
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'g', key: 'k', value: 1n, groupCounterSeq: 1 });
    expect(heard).toEqual({ changes: 2, updates: 1, readies: 1 });
    expect(session.current).toBe('ready');
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('change listener broke'));
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('update listener broke'));
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('ready listener broke'));
  });
});

describe('Session counters and shutdown', () => {
  it('publishes GROUP_COUNTER_UPDATED with the previous value, and drops stale ones', async () => {
    const updates: CounterUpdate[] = [];
    session.onCounterUpdate((update) => updates.push(update));
    await signInReady();
    const at = clock.now();
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'live-friday', key: 'likes', value: 10n, groupCounterSeq: 4 });
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'live-friday', key: 'likes', value: 9_007_199_254_740_993n, groupCounterSeq: 6 });
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'live-friday', key: 'likes', value: 11n, groupCounterSeq: 5 });
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'live-friday', key: 'gifts', value: 2n });
    expect(updates).toEqual([
      { groupID: 'live-friday', key: 'likes', value: '10', previous: null, at },
      { groupID: 'live-friday', key: 'likes', value: '9007199254740993', previous: '10', at },
      { groupID: 'live-friday', key: 'gifts', value: '2', previous: null, at },
    ]);
    expect(session.counters.value('live-friday', 'likes')).toBe(9_007_199_254_740_993n);
  });

  it('signOut forgets the held counters and survives a failing logout', async () => {
    await signInReady();
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'g', key: 'k', value: 1n, groupCounterSeq: 1 });
    chat.logoutError = new ChatError(ErrorCode.NETWORK_ERROR, 'offline');
    await session.signOut();
    expect(session.snapshot()).toMatchObject({ state: 'signed-out', reason: null });
    expect(session.counters.values('g')).toEqual(new Map());
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('offline'));
    await session.signOut();
    expect(chat.logoutCalls).toBe(1);
  });

  // Sign-out forgets the held counters; a late event must not refill them or reach the renderer.
  it('ignores counter events that arrive after sign-out', async () => {
    const updates: CounterUpdate[] = [];
    session.onCounterUpdate((update) => updates.push(update));
    await signInReady();
    await session.signOut();
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'g', key: 'k', value: 5n, groupCounterSeq: 9 });
    expect(updates).toEqual([]);
    expect(session.counters.values('g')).toEqual(new Map());
  });

  it('close() removes every handler from the chat and stops all listeners', async () => {
    const heard = vi.fn();
    session.onCounterUpdate(heard);
    session.onReady(heard);
    await signInReady();
    const before = changes.length;
    session.close();
    expect(chat.handlerCount()).toBe(0);
    chat.emit(CHAT_EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    chat.emit(CHAT_EVENT.GROUP_COUNTER_UPDATED, { groupID: 'g', key: 'k', value: 1n });
    expect(session.current).toBe('ready');
    expect(heard).toHaveBeenCalledTimes(1); // the one onReady before close
    expect(changes).toHaveLength(before);
  });
});
