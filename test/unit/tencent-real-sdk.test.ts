import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadTencentSdk, type SdkInstance } from '../../electron/core/chat/tencent/sdk-surface';
import { createCore, type Core } from '../../electron/core/create-core';
import type { Logger } from '../../electron/core/logger';
import { messageFor } from '../../shared/error-messages';
import { CountdeckError, ErrorCode } from '../../shared/errors';
import type { SessionSnapshot } from '../../shared/types';

/**
 * The real `@tencentcloud/chat` (default `loadSdk`) on a machine with no route to Tencent Cloud:
 * its websocket fails at once, it says the link is down, and its login never answers.
 */

const TIMEOUT_MS = 2_000;
const REQUEST = { SDKAppID: '1400000001', userID: 'u1', userSig: 'eJwrzzcoKEkyMjDQMzEwMDQxMjQwNLAwNDIwMDQxNA', remember: false };
const CONSOLE_METHODS = ['debug', 'log', 'info', 'warn', 'error'] as const;
/** How the SDK tags its console lines (see routeSdkConsole). */
const SDK_TAG = /^\s*(%c\s*)?Chat\b/;
/** Words that only the SDK's own lines contain. */
const SDK_WORDS = /TencentCloudChat|SocketHandler|ChannelModule|SignModule|instanceID/;

const realConsole = Object.fromEntries(CONSOLE_METHODS.map((method) => [method, console[method]]));
let lines: { level: keyof Logger; message: string }[];
let printed: string[];
let unhandled: unknown[];
let cores: Core[];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
/** The SDK lines that reached the console during the first sign-in of this file (the SDK was imported then). */
let firstRunSdkLinesOnConsole: string[] | null = null;

const log: Logger = {
  info: (message) => void lines.push({ level: 'info', message }),
  warn: (message) => void lines.push({ level: 'warn', message }),
  error: (message) => void lines.push({ level: 'error', message }),
};

const text = (args: readonly unknown[]): string => args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
const sdkLinesOnConsole = (): string[] => printed.filter((line) => SDK_TAG.test(line) || SDK_WORDS.test(line));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(options: Parameters<typeof createCore>[0] = {}): Promise<Core> {
  const core = await createCore({ log, tencentSignInTimeoutMs: TIMEOUT_MS, ...options });
  cores.push(core);
  return core;
}

beforeEach(() => {
  lines = [];
  printed = [];
  unhandled = [];
  cores = [];
  process.on('unhandledRejection', onUnhandled);
  for (const method of CONSOLE_METHODS) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(text(args)));
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    });
  }
});

afterEach(async () => {
  for (const core of cores) await core.close();
  vi.restoreAllMocks();
  for (const method of CONSOLE_METHODS) console[method] = realConsole[method]!;
  process.off('unhandledRejection', onUnhandled);
});

describe('connectTencent with the real SDK and no network', () => {
  it('fails within the timeout with CANNOT_REACH or SIGN_IN_TIMEOUT; useEmbedded then brings back working counters', async () => {
    const core = await open();
    const sessions: SessionSnapshot[] = [];
    core.api.onSession((snapshot) => sessions.push(snapshot));
    const embeddedID = core.connection.id;

    const started = performance.now();
    const error = await core.api.connectTencent(REQUEST).catch((reason: unknown) => reason);
    const elapsed = performance.now() - started;

    expect(error).toBeInstanceOf(CountdeckError);
    const { code, message } = error as CountdeckError;
    expect([ErrorCode.CANNOT_REACH, ErrorCode.SIGN_IN_TIMEOUT]).toContain(code);
    // Countdeck's wording, not the SDK's (which has no texts offline).
    if (code === ErrorCode.SIGN_IN_TIMEOUT) expect(message).toBe(messageFor(ErrorCode.SIGN_IN_TIMEOUT));
    else expect(message).toMatch(/^Cannot reach .*network connection.*sign in again\.$/);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);

    const failed = await core.api.getSession();
    expect(failed).toMatchObject({ state: 'failed', backend: 'tencent', userID: 'u1', reason: { code, message } });
    expect(failed.connection).not.toBe(embeddedID);
    expect(sessions.filter((snapshot) => snapshot.connection === failed.connection).map((snapshot) => snapshot.state)).toEqual(['signing-in', 'failed']);
    await expect(core.api.getConnection()).resolves.toMatchObject({
      backend: 'tencent',
      account: { SDKAppID: 1400000001, userID: 'u1', credential: 'userSig' },
      remembered: false,
    });

    // The SDK's console output went to the core's log, as clean lines.
    const fromSdk = lines.filter((line) => SDK_WORDS.test(line.message));
    expect(fromSdk.length).toBeGreaterThan(0);
    expect(fromSdk.some((line) => line.level === 'warn')).toBe(true);
    for (const line of fromSdk) {
      expect(line.message).not.toContain('%c');
      expect(line.message).not.toMatch(/background:/);
    }

    const info = await core.api.useEmbedded();
    expect(info).toMatchObject({ backend: 'local', account: null, remembered: false });
    const ready = await core.api.getSession();
    expect(ready).toMatchObject({ state: 'ready', backend: 'local', reason: null });
    expect(ready.connection).toBeGreaterThan(failed.connection);
    await expect(core.api.setCounters({ groupID: 'fan-club', counters: { likes: '123' } })).resolves.toEqual({ groupID: 'fan-club', counters: { likes: '123' } });
    await expect(core.api.getCounters({ groupID: 'fan-club', keyList: ['likes'] })).resolves.toMatchObject({ counters: { likes: '123' } });
    expect(core.service.counters('fan-club').get('likes')).toBe(123n);

    // Late answers of the abandoned SDK decide nothing and raise nothing.
    await sleep(300);
    expect(unhandled).toEqual([]);
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'ready', backend: 'local' });

    // Whatever the SDK printed while its routing was in place went to the log; the only SDK line
    // on the console may be the banner it prints when first imported (see the expected failure below).
    firstRunSdkLinesOnConsole = sdkLinesOnConsole();
    for (const line of firstRunSdkLinesOnConsole) expect(line).toMatch(/TencentCloudChat\.VERSION/);
    // The console is the test's own again.
    for (const method of CONSOLE_METHODS) expect(vi.isMockFunction(console[method]), method).toBe(true);
  });

  // The package prints a banner as it loads; the loader routes it to the log.
  it('printed nothing of the SDK on the console during the first sign-in, not even its banner', () => {
    expect(firstRunSdkLinesOnConsole).toEqual([]);
  });

  // The SDK never gives up on a login it cannot send; signing in again must start over, not hit 2025.
  it('renewSignIn after a timed-out sign-in tries again (and times out like the first), not 2025 at once', async () => {
    const core = await open();
    await core.api.connectTencent(REQUEST).catch(() => {});
    const renewed = await core.api.renewSignIn({ userSig: REQUEST.userSig }).catch((reason: unknown) => reason);
    expect(renewed).toMatchObject({ code: expect.toBeOneOf([ErrorCode.CANNOT_REACH, ErrorCode.SIGN_IN_TIMEOUT]) });
  });

  it('the real SDK hands back one instance per SDKAppID until it is destroyed', async () => {
    const create = await loadTencentSdk();
    const first = create({ SDKAppID: 1400000009, unlimitedAVChatRoom: true });
    const again = create({ SDKAppID: 1400000009, unlimitedAVChatRoom: true });
    const other = create({ SDKAppID: 1400000008, unlimitedAVChatRoom: true });
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    for (const sdk of [first, other]) await sdk.destroy().catch(() => {});
    const fresh = create({ SDKAppID: 1400000009, unlimitedAVChatRoom: true });
    expect(fresh).not.toBe(first);
    await fresh.destroy().catch(() => {});
  });

  // The SDK hands out one instance per SDKAppID: the old one must be gone before a new one is made.
  it('a second connectTencent to the same SDKAppID fails like the first, not on a destroyed SDK', async () => {
    const instances: SdkInstance[] = [];
    const core = await open({
      loadSdk: async () => {
        const create = await loadTencentSdk();
        return (options) => {
          const sdk = create(options);
          instances.push(sdk);
          return sdk;
        };
      },
    });
    await core.api.connectTencent(REQUEST).catch(() => {});
    const second = await core.api.connectTencent({ ...REQUEST, userID: 'u2' }).catch((reason: unknown) => reason);
    expect(second).toMatchObject({ code: expect.toBeOneOf([ErrorCode.CANNOT_REACH, ErrorCode.SIGN_IN_TIMEOUT]) });
  });
});
