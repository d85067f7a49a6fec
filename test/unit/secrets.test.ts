import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { routeSdkConsole } from '../../electron/core/chat/tencent/sdk-console';
import { loadTencentSdk, type SdkFactory, type SdkInstance } from '../../electron/core/chat/tencent/sdk-surface';
import { createCore, type Core } from '../../electron/core/create-core';
import type { Logger } from '../../electron/core/logger';
import { RedactingLogger } from '../../electron/core/redacting-logger';
import { ErrorCode } from '../../shared/errors';

/**
 * "No UserSig or key in any log line or IPC payload" (DESIGN §6), checked with the real
 * `@tencentcloud/chat` on a machine with no route to Tencent Cloud.
 */

const TIMEOUT_MS = 2_000;
const PASTED_SIG = 'eJwtjEEKwjAQRe85S9Y1TNIktoILQXAhggu9QG1GGzBtSaOoiHe3tV3Ov*-PeyrjYpg2a8M';
/** A secret key as pasted, in upper case: validation lowers it, and neither form may show. */
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5E'.toUpperCase();
const CONSOLE_METHODS = ['debug', 'log', 'info', 'warn', 'error'] as const;

const realConsole = Object.fromEntries(CONSOLE_METHODS.map((method) => [method, console[method]]));
const serialise = (value: unknown): string => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
const show = (value: unknown): string => (typeof value === 'string' ? value : inspect(value, { depth: 8 }));

/** Everything a sign-in leaves where someone could read it. */
interface Capture {
  logLines: string[];
  consoleLines: string[];
  ipcPayloads: string[];
  /** What the SDK was asked to log in with. */
  logins: { userID: string; userSig: string }[];
}

let capture: Capture;
let cores: Core[];

/** The captured texts that contain any of the secrets (case-insensitive), with where they were. */
function leaks(secrets: readonly string[]): string[] {
  const lowered = secrets.map((secret) => secret.toLowerCase());
  const all = [
    ...capture.logLines.map((line) => `log: ${line}`),
    ...capture.consoleLines.map((line) => `console: ${line}`),
    ...capture.ipcPayloads.map((line) => `ipc: ${line}`),
  ];
  return all.filter((line) => lowered.some((secret) => line.toLowerCase().includes(secret)));
}

/** The real SDK, with every login's arguments noted on the way. */
async function recordingLoadSdk(): Promise<SdkFactory> {
  const create = await loadTencentSdk();
  return (options) => {
    const sdk = create(options);
    const recorded: SdkInstance = {
      login: (credentials) => {
        capture.logins.push({ ...credentials });
        return sdk.login(credentials);
      },
      logout: () => sdk.logout(),
      destroy: () => sdk.destroy(),
      on: (name, handler) => sdk.on(name, handler),
      off: (name, handler) => sdk.off(name, handler),
      setLogLevel: (level) => sdk.setLogLevel(level),
      getGroupList: () => sdk.getGroupList(),
      joinGroup: (request) => sdk.joinGroup(request),
      getGroupCounters: (request) => sdk.getGroupCounters(request),
      setGroupCounters: (request) => sdk.setGroupCounters(request),
      increaseGroupCounter: (request) => sdk.increaseGroupCounter(request),
      decreaseGroupCounter: (request) => sdk.decreaseGroupCounter(request),
    };
    return recorded;
  };
}

/** One sign-in to Tencent Cloud with `credential`, failing for want of a network, then back to the embedded service. */
async function signInOnce(credential: { userSig: string } | { secretKey: string }): Promise<void> {
  const log: Logger = {
    info: (message) => void capture.logLines.push(message),
    warn: (message) => void capture.logLines.push(message),
    error: (message) => void capture.logLines.push(message),
  };
  const core = await createCore({ log, loadSdk: recordingLoadSdk, tencentSignInTimeoutMs: TIMEOUT_MS });
  cores.push(core);
  const toRenderer = (payload: unknown): void => void capture.ipcPayloads.push(serialise(payload));
  core.api.onSession(toRenderer);
  core.api.onBudget(toRenderer);
  core.api.onCounterBatch(toRenderer);
  const call = async (method: string, payload?: unknown) => {
    const result = await core.dispatch(method, payload);
    toRenderer(result);
    return result;
  };

  const connected = await call('connectTencent', { SDKAppID: '1400000001', userID: 'u1', ...credential, remember: true });
  expect(connected).toMatchObject({ ok: false, error: { code: expect.toBeOneOf([ErrorCode.CANNOT_REACH, ErrorCode.SIGN_IN_TIMEOUT]) } });
  await call('getConnection');
  await call('getSession');
  await call('getBudget');
  await call('renewSignIn', credential);
  await call('useEmbedded');
  await call('getConnection');
  await call('setCounters', { groupID: 'fan-club', counters: { likes: '7' } });
  await core.close();
}

beforeEach(() => {
  capture = { logLines: [], consoleLines: [], ipcPayloads: [], logins: [] };
  cores = [];
  for (const method of CONSOLE_METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void capture.consoleLines.push(args.map(show).join(' ')));
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      capture.consoleLines.push(String(chunk));
      return true;
    });
  }
});

afterEach(async () => {
  for (const core of cores) await core.close();
  vi.restoreAllMocks();
  for (const method of CONSOLE_METHODS) console[method] = realConsole[method]!;
});

describe('no UserSig or secret key in any log line or IPC payload (real SDK, no network)', () => {
  it('with a pasted UserSig', async () => {
    await signInOnce({ userSig: PASTED_SIG });
    expect(capture.logins.map((login) => login.userSig)).toEqual([PASTED_SIG, PASTED_SIG]);
    expect(capture.logLines.length).toBeGreaterThan(5);
    expect(capture.ipcPayloads.length).toBeGreaterThan(5);
    // The capture does see who signed in and what the SDK said, so a leak would show.
    expect(capture.ipcPayloads.some((payload) => payload.includes('"userID":"u1"'))).toBe(true);
    expect(capture.logLines.some((line) => /SocketHandler|TencentCloudChat/.test(line))).toBe(true);
    expect(leaks([PASTED_SIG])).toEqual([]);
    // …and the check itself finds a secret where there is one.
    capture.ipcPayloads.push(`{"x":"${PASTED_SIG}"}`);
    expect(leaks([PASTED_SIG])).toHaveLength(1);
  });

  it('with a secret key: neither the key (as pasted or lowered) nor the UserSig generated from it', async () => {
    await signInOnce({ secretKey: SECRET_KEY });
    expect(capture.logins).toHaveLength(2);
    const generated = capture.logins.map((login) => login.userSig);
    for (const sig of generated) {
      expect(sig.length).toBeGreaterThan(40);
      expect(sig.toLowerCase()).not.toContain(SECRET_KEY.toLowerCase());
    }
    expect(capture.logLines.length).toBeGreaterThan(5);
    expect(capture.ipcPayloads.length).toBeGreaterThan(5);
    expect(capture.ipcPayloads.some((payload) => payload.includes('"credential":"secretKey"'))).toBe(true);
    expect(leaks([SECRET_KEY, ...generated])).toEqual([]);
  });

  it('does not echo a malformed credential in the error it answers', async () => {
    const core = await createCore({ loadSdk: recordingLoadSdk });
    cores.push(core);
    const badSig = `${PASTED_SIG} tail`;
    const badKey = `${SECRET_KEY.slice(0, 63)}Z`;
    const results = [
      await core.dispatch('connectTencent', { SDKAppID: '1400000001', userID: 'u1', userSig: badSig, remember: false }),
      await core.dispatch('connectTencent', { SDKAppID: '1400000001', userID: 'u1', secretKey: badKey, remember: false }),
      await core.dispatch('connectTencent', { SDKAppID: '1400000001', userID: 'u1', userSig: PASTED_SIG, secretKey: SECRET_KEY, remember: false }),
      await core.dispatch('connectTencent', { SDKAppID: '1400000001', userID: 'u1', userSig: 'A'.repeat(4_097), remember: false }),
      await core.dispatch('renewSignIn', { secretKey: badKey }),
    ];
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: expect.any(Number) } });
    const text = serialise(results).toLowerCase();
    for (const secret of [badSig, badKey, PASTED_SIG, SECRET_KEY, 'A'.repeat(100)]) expect(text).not.toContain(secret.toLowerCase());
    expect(capture.logins).toEqual([]);
  });
});

describe('RedactingLogger', () => {
  let target: { [K in keyof Logger]: Mock<Logger[K]> };
  let redacting: RedactingLogger;

  beforeEach(() => {
    target = { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
    redacting = new RedactingLogger(target);
  });

  it('replaces every occurrence of every protected secret, at every level', () => {
    redacting.protect(PASTED_SIG);
    redacting.protect('0123456789abcdef');
    redacting.info(`login ${PASTED_SIG} and again ${PASTED_SIG}`);
    redacting.warn(`key=0123456789abcdef;`);
    redacting.error(`${PASTED_SIG}0123456789abcdef`);
    expect(target.info).toHaveBeenCalledExactlyOnceWith('login «redacted» and again «redacted»');
    expect(target.warn).toHaveBeenCalledExactlyOnceWith('key=«redacted»;');
    expect(target.error).toHaveBeenCalledExactlyOnceWith('«redacted»«redacted»');
    expect(redacting.redact(`x${PASTED_SIG}y`)).toBe('x«redacted»y');
  });

  it('leaves lines without a secret as they are, and passes each line once', () => {
    redacting.protect(PASTED_SIG);
    redacting.info('Session ready');
    redacting.warn('');
    expect(target.info).toHaveBeenCalledExactlyOnceWith('Session ready');
    expect(target.warn).toHaveBeenCalledExactlyOnceWith('');
    expect(target.error).not.toHaveBeenCalled();
  });

  it('ignores strings shorter than 8 characters (they would blank out ordinary words)', () => {
    redacting.protect('');
    redacting.protect('a');
    redacting.protect('Session');
    redacting.info('Session signing-in: a moment');
    expect(target.info).toHaveBeenCalledExactlyOnceWith('Session signing-in: a moment');
    redacting.protect('Session ');
    redacting.info('Session signing-in');
    expect(target.info).toHaveBeenLastCalledWith('«redacted»signing-in');
  });

  it('redacts nothing before a secret is protected', () => {
    redacting.info(PASTED_SIG);
    redacting.protect(PASTED_SIG);
    redacting.info(PASTED_SIG);
    expect(target.info.mock.calls).toEqual([[PASTED_SIG], ['«redacted»']]);
  });
});

describe('routeSdkConsole', () => {
  type Target = Pick<Console, (typeof CONSOLE_METHODS)[number]>;
  let target: { [K in (typeof CONSOLE_METHODS)[number]]: Mock<(...args: unknown[]) => void> };
  let originals: Record<string, unknown>;
  let log: { [K in keyof Logger]: Mock<Logger[K]> };
  const STYLE = 'background:#0abf5b; padding:1px; border-radius:3px; color: #fff';

  beforeEach(() => {
    target = { debug: vi.fn(), log: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    originals = { ...target };
    log = { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
  });

  const sdkLine = (method: keyof Target, message: string): void =>
    (target as unknown as Target)[method]('%c Chat %c', STYLE, 'background:transparent', '12:00:00.000 |', message);

  it('sends SDK lines to the logger at the mapped level, %c styling removed', () => {
    routeSdkConsole(log, target as unknown as Target);
    sdkLine('log', 'TencentCloudChat.create');
    sdkLine('info', 'SDK instanceID:abc');
    sdkLine('warn', 'SocketHandler._onError {}');
    sdkLine('error', 'SignModule._login failed.');
    expect(log.info.mock.calls).toEqual([['Chat  12:00:00.000 | TencentCloudChat.create'], ['Chat  12:00:00.000 | SDK instanceID:abc']]);
    expect(log.warn.mock.calls).toEqual([['Chat  12:00:00.000 | SocketHandler._onError {}']]);
    expect(log.error.mock.calls).toEqual([['Chat  12:00:00.000 | SignModule._login failed.']]);
    for (const call of [...log.info.mock.calls, ...log.warn.mock.calls, ...log.error.mock.calls]) {
      expect(call[0]).not.toContain('%c');
      expect(call[0]).not.toContain('background');
    }
    for (const method of CONSOLE_METHODS) expect(originals[method]).not.toHaveBeenCalled();
  });

  it('drops SDK debug lines altogether', () => {
    routeSdkConsole(log, target as unknown as Target);
    sdkLine('debug', 'noise');
    expect(originals.debug).not.toHaveBeenCalled();
    expect(log.info).not.toHaveBeenCalled();
  });

  it('also recognises a line tagged "Chat" without styling', () => {
    routeSdkConsole(log, target as unknown as Target);
    (target as unknown as Target).warn(' Chat  12:00:00.000 TencentCloudChat.VERSION:3.6.6');
    expect(log.warn).toHaveBeenCalledExactlyOnceWith('Chat  12:00:00.000 TencentCloudChat.VERSION:3.6.6');
  });

  it('passes every other console line through untouched, arguments and all', () => {
    routeSdkConsole(log, target as unknown as Target);
    const routed = target as unknown as Target;
    const detail = { code: 1 };
    routed.log('hello', detail, 3);
    routed.warn('Chatter is not the SDK');
    routed.error(new Error('boom'));
    routed.info('%c styled', 'color: red');
    routed.debug('Chat', 'as second word? no: first word, but debug from the app');
    expect(originals.log).toHaveBeenCalledExactlyOnceWith('hello', detail, 3);
    expect(originals.warn).toHaveBeenCalledExactlyOnceWith('Chatter is not the SDK');
    expect(originals.error).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ message: 'boom' }));
    expect(originals.info).toHaveBeenCalledExactlyOnceWith('%c styled', 'color: red');
    expect(log.info).not.toHaveBeenCalled();
    expect(log.warn).not.toHaveBeenCalled();
    expect(log.error).not.toHaveBeenCalled();
  });

  it('undo puts every console method back as it was', () => {
    const undo = routeSdkConsole(log, target as unknown as Target);
    for (const method of CONSOLE_METHODS) expect(target[method]).not.toBe(originals[method]);
    undo();
    for (const method of CONSOLE_METHODS) expect(target[method]).toBe(originals[method]);
    sdkLine('warn', 'after undo');
    expect(originals.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('stacks overlapping routes (one account replacing another): the newest gets the lines, the console comes back with the last undo', () => {
    const newer = { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
    const undoOlder = routeSdkConsole(log, target as unknown as Target);
    const undoNewer = routeSdkConsole(newer, target as unknown as Target);
    sdkLine('warn', 'one');
    expect(newer.warn).toHaveBeenCalledTimes(1);
    undoOlder();
    sdkLine('warn', 'two');
    expect(newer.warn).toHaveBeenCalledTimes(2);
    expect(log.warn).not.toHaveBeenCalled();
    expect(originals.warn).not.toHaveBeenCalled();
    undoNewer();
    for (const method of CONSOLE_METHODS) expect(target[method]).toBe(originals[method]);

    // Undone the other way round, the older one takes the lines back until it goes too.
    const undoFirst = routeSdkConsole(log, target as unknown as Target);
    const undoSecond = routeSdkConsole(newer, target as unknown as Target);
    undoSecond();
    sdkLine('error', 'three');
    expect(log.error).toHaveBeenCalledExactlyOnceWith('Chat  12:00:00.000 | three');
    undoFirst();
    for (const method of CONSOLE_METHODS) expect(target[method]).toBe(originals[method]);
  });

  it('routes the global console by default, and undoes it', () => {
    const before = CONSOLE_METHODS.map((method) => console[method]);
    const undo = routeSdkConsole(log);
    console.warn('%c Chat %c', STYLE, 'background:transparent', 'from the SDK');
    undo();
    expect(CONSOLE_METHODS.map((method) => console[method])).toEqual(before);
    expect(log.warn).toHaveBeenCalledExactlyOnceWith('Chat  from the SDK');
    expect(capture.consoleLines).toEqual([]);
  });
});
