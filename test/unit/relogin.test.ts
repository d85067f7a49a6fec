import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { isTransient, Relogin } from '../../electron/core/relogin';
import { ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { SessionSnapshot, SessionState } from '../../shared/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

let clock: FakeClock;
let signIn: Mock<() => Promise<void>>;
let random: Mock<() => number>;
let relogin: Relogin;

const snapshot = (state: SessionState, code?: number): SessionSnapshot => ({
  connection: 1,
  state,
  backend: 'tencent',
  userID: 'u1',
  reason: code === undefined ? null : ({ code, message: `error ${code}` } satisfies ErrorInfo),
  notice: null,
  since: clock.now(),
});

/** Delays the re-login armed on the clock, in order. */
let armed: number[];

/** How many ms after now the next sign-in comes: checked by letting time pass to just before it, then to it. */
async function nextSignInAfter(): Promise<number | null> {
  const before = signIn.mock.calls.length;
  const delay = armed.at(-1);
  if (delay === undefined) return null;
  await clock.advance(delay - 1);
  if (signIn.mock.calls.length !== before) return -1;
  await clock.advance(1);
  return signIn.mock.calls.length === before + 1 ? delay : null;
}

/** The session was ready once, then failed for `code`. */
function readyThenFailed(code: number = ErrorCode.NETWORK_ERROR): void {
  relogin.observe(snapshot('ready'));
  relogin.observe(snapshot('failed', code));
}

beforeEach(() => {
  clock = createFakeClock();
  signIn = vi.fn(async () => {});
  random = vi.fn(() => 0.5);
  armed = [];
  const recording = {
    ...clock,
    setTimeout: (callback: () => void, ms: number) => {
      armed.push(ms);
      return clock.setTimeout(callback, ms);
    },
  };
  relogin = new Relogin(recording, signIn, random);
});

describe('Relogin backoff', () => {
  it('signs in again after 1 s once a ready session failed for a transient reason (jitter 1.0)', async () => {
    readyThenFailed();
    await clock.advance(999);
    expect(signIn).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(signIn).toHaveBeenCalledTimes(1);
    await clock.advance(120_000);
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  it('doubles the delay per failed attempt, 1 s, 2 s, 4 s … capped at 60 s', async () => {
    relogin.observe(snapshot('ready'));
    const delays: (number | null)[] = [];
    for (let attempt = 0; attempt < 9; attempt += 1) {
      relogin.observe(snapshot('failed', ErrorCode.CANNOT_REACH));
      delays.push(await nextSignInAfter());
      // The re-login's own sign-in passes through signing-in without cancelling anything.
      relogin.observe(snapshot('signing-in'));
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('multiplies each delay by a jitter in [0.5, 1.5) drawn from random()', async () => {
    relogin.observe(snapshot('ready'));
    const draws = [0, 0.999_999, 0.25, 0.75, 0, 0.999_999, 0, 0.999_999];
    const bases = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
    for (const [index, draw] of draws.entries()) {
      random.mockReturnValueOnce(draw);
      relogin.observe(snapshot('failed', ErrorCode.NETWORK_TIMEOUT));
      const delay = (await nextSignInAfter())!;
      const base = bases[index]!;
      expect(delay, `attempt ${index}`).toBeGreaterThanOrEqual(0.5 * base);
      expect(delay, `attempt ${index}`).toBeLessThanOrEqual(1.5 * base);
      expect(delay, `attempt ${index}`).toBeCloseTo(base * (0.5 + draw), -1);
    }
    expect(random).toHaveBeenCalledTimes(draws.length);
  });

  it('starts again from 1 s after the session was ready again', async () => {
    readyThenFailed();
    expect(await nextSignInAfter()).toBe(1_000);
    relogin.observe(snapshot('failed', ErrorCode.NETWORK_ERROR));
    expect(await nextSignInAfter()).toBe(2_000);
    relogin.observe(snapshot('failed', ErrorCode.NETWORK_ERROR));
    expect(await nextSignInAfter()).toBe(4_000);
    relogin.observe(snapshot('ready'));
    relogin.observe(snapshot('failed', ErrorCode.SDK_NOT_READY));
    expect(await nextSignInAfter()).toBe(1_000);
  });

  it('keeps one timer: a second failure before it fires re-arms it rather than adding one', async () => {
    readyThenFailed();
    await clock.advance(500);
    relogin.observe(snapshot('failed', ErrorCode.NETWORK_ERROR));
    await clock.advance(120_000);
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  it('swallows a failing sign-in (no unhandled rejection): the session reports it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      signIn.mockRejectedValueOnce(new Error('still down'));
      readyThenFailed();
      await clock.advance(1_000);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(signIn).toHaveBeenCalledTimes(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('Relogin leaves alone', () => {
  it.each([
    ['2800 network error', ErrorCode.NETWORK_ERROR],
    ['2801 timeout', ErrorCode.NETWORK_TIMEOUT],
    ['2805 no network', ErrorCode.NO_NETWORK],
    ['2999 not ready', ErrorCode.SDK_NOT_READY],
    ['9021 sign-in timeout', ErrorCode.SIGN_IN_TIMEOUT],
    ['9022 cannot reach', ErrorCode.CANNOT_REACH],
    ['60022 overloaded', ErrorCode.SERVICE_OVERLOADED],
  ])('treats %s as transient', (_label, code) => {
    expect(isTransient({ code, message: '' })).toBe(true);
  });

  it.each([
    ['70001 UserSig expired', ErrorCode.USERSIG_EXPIRED],
    ['70003 UserSig invalid', ErrorCode.USERSIG_INVALID],
    ['70013 other user', ErrorCode.USERSIG_OTHER_USER],
    ['3122 edition', ErrorCode.NO_USE],
    ['3004 kicked out, UserSig expired', ErrorCode.KICKED_OUT_USERSIG_EXPIRED],
    ['9099 internal', ErrorCode.INTERNAL],
  ])('never signs in again after %s', async (_label, code) => {
    expect(isTransient({ code, message: '' })).toBe(false);
    readyThenFailed(code);
    await clock.advance(300_000);
    expect(signIn).not.toHaveBeenCalled();
  });

  it('never signs in again after a kick-out, whatever its code', async () => {
    relogin.observe(snapshot('ready'));
    relogin.observe(snapshot('kicked-out', ErrorCode.KICKED_OUT_MULT_DEVICE));
    await clock.advance(300_000);
    expect(signIn).not.toHaveBeenCalled();
  });

  it('never before the first ready: a first sign-in that fails waits for the operator', async () => {
    relogin.observe(snapshot('signing-in'));
    relogin.observe(snapshot('failed', ErrorCode.CANNOT_REACH));
    relogin.observe(snapshot('failed', ErrorCode.NETWORK_ERROR));
    await clock.advance(300_000);
    expect(signIn).not.toHaveBeenCalled();
    expect(isTransient(null)).toBe(false);
  });

  it('a failure without a reason is not retried', async () => {
    relogin.observe(snapshot('ready'));
    relogin.observe(snapshot('failed'));
    await clock.advance(300_000);
    expect(signIn).not.toHaveBeenCalled();
  });

  it('cancel stops a pending re-login', async () => {
    readyThenFailed();
    await clock.advance(999);
    relogin.cancel();
    await clock.advance(300_000);
    expect(signIn).not.toHaveBeenCalled();
  });

  it('a kick-out, a credential failure or a sign-out while waiting cancels the pending re-login', async () => {
    for (const [state, code] of [
      ['kicked-out', ErrorCode.KICKED_OUT_MULT_ACCOUNT],
      ['failed', ErrorCode.USERSIG_EXPIRED],
      ['signed-out', undefined],
    ] as const) {
      readyThenFailed();
      await clock.advance(500);
      relogin.observe(snapshot(state, code));
      await clock.advance(300_000);
      expect(signIn, state).not.toHaveBeenCalled();
    }
  });
});
