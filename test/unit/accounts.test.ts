import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryAccountStore, type AccountStore } from '../../electron/core/account-store';
import type { SdkEvent, SdkFactory, SdkInstance } from '../../electron/core/chat/tencent/sdk-surface';
import type { Core, CoreOptions } from '../../electron/core/create-core';
import type { Logger } from '../../electron/core/logger';
import { messageFor } from '../../shared/error-messages';
import { ErrorCode } from '../../shared/errors';
import type { ConnectTencentRequest, SessionSnapshot } from '../../shared/types';
import { createCoreFixture, type CoreFixture } from '../support/core-fixture';

const APP = '1400000001';
const SIG = 'eJwr0NAwMDAyNDE1szA1tjA2NDG3MDQ3MrIwAgA5LwUt';
const NEW_SIG = 'eJyrVipJLS5RsjI0MjAxMDE0NjMysTAwMjI3MjcxNjG3MDQyMAQAWQcG6Q';
const KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const STORAGE_REASON = 'no-keychain';

/** What a fake SDK's login does: sign in, refuse with a code, never answer, or never answer with the link down. */
type LoginPlan = 'ready' | 'hang' | 'offline' | { code: number };

interface FakeSdk extends SdkInstance {
  readonly options: { SDKAppID: number; unlimitedAVChatRoom: boolean };
  readonly logins: { userID: string; userSig: string }[];
  destroyed: boolean;
  /** Writes stay in flight for ever. */
  writesHang: boolean;
  emit(name: string, data?: unknown): void;
  handlerCount(): number;
  /** Prints a line to the console the way the SDK does. */
  print(text: string): void;
}

/** A small `TencentCloudChat.create` double: one group, 'fan-club', holding likes = 5. */
function fakeSdkFactory(plan: () => LoginPlan = () => 'ready') {
  const created: FakeSdk[] = [];
  const factory: SdkFactory = (options) => {
    const handlers = new Map<string, Set<(event: SdkEvent) => void>>();
    const counters: Record<string, Record<string, number>> = { 'fan-club': { likes: 5 } };
    const never = <T>() => new Promise<T>(() => {});
    const write = (groupID: string, change: (held: Record<string, number>) => void) => {
      if (sdk.writesHang) return never<{ code: number; data: { counters: Record<string, number> } }>();
      const held = (counters[groupID] ??= {});
      change(held);
      return Promise.resolve({ code: 0, data: { counters: { ...held } } });
    };
    const sdk: FakeSdk = {
      options,
      logins: [],
      destroyed: false,
      writesHang: false,
      emit: (name, data) => {
        for (const handler of [...(handlers.get(name) ?? [])]) handler({ name, data });
      },
      handlerCount: () => [...handlers.values()].reduce((sum, set) => sum + set.size, 0),
      print: (text) => console.warn('%c Chat %c', 'background:#0abf5b; padding:1px;', 'background:transparent', text),
      login: (credentials) => {
        sdk.logins.push(credentials);
        const next = plan();
        if (next === 'ready') {
          queueMicrotask(() => sdk.emit('sdkStateReady'));
          return Promise.resolve({ code: 0, data: { repeatLogin: false } });
        }
        if (next === 'offline') queueMicrotask(() => sdk.emit('netStateChange', { state: 'disconnected' }));
        if (next === 'hang' || next === 'offline') return never();
        return Promise.reject({ code: next.code, message: '' });
      },
      logout: async () => ({ code: 0, data: {} }),
      destroy: async () => {
        sdk.destroyed = true;
        handlers.clear();
      },
      on: (name, handler) => void handlers.set(name, (handlers.get(name) ?? new Set()).add(handler)),
      off: (name, handler) => void handlers.get(name)?.delete(handler),
      setLogLevel: () => {},
      getGroupList: async () => ({ code: 0, data: { groupList: [{ groupID: 'fan-club', name: 'Tencent fans', type: 'Public', memberCount: 2 }] } }),
      joinGroup: async ({ groupID }) => ({ code: 0, data: { status: 'AlreadyInGroup', group: { groupID, name: groupID, type: 'Public' } } }),
      getGroupCounters: async ({ groupID }) => ({ code: 0, data: { counters: { ...(counters[groupID] ?? {}) } } }),
      setGroupCounters: ({ groupID, counters: values }) => write(groupID, (held) => Object.assign(held, values)),
      increaseGroupCounter: ({ groupID, key, value }) => write(groupID, (held) => void (held[key] = (held[key] ?? 0) + value)),
      decreaseGroupCounter: ({ groupID, key, value }) => write(groupID, (held) => void (held[key] = (held[key] ?? 0) - value)),
    };
    created.push(sdk);
    return sdk;
  };
  const loadSdk = vi.fn(async () => factory);
  return { created, loadSdk, last: () => created.at(-1)! };
}

const CONSOLE_METHODS = ['debug', 'log', 'info', 'warn', 'error'] as const;
const realConsole = Object.fromEntries(CONSOLE_METHODS.map((method) => [method, console[method]]));

let fixture: CoreFixture;
let sdk: ReturnType<typeof fakeSdkFactory>;
let accounts: AccountStore;
let lines: { level: keyof Logger; message: string }[];
let printed: unknown[][];

const log: Logger = {
  info: (message) => void lines.push({ level: 'info', message }),
  warn: (message) => void lines.push({ level: 'warn', message }),
  error: (message) => void lines.push({ level: 'error', message }),
};

function request(overrides: Partial<ConnectTencentRequest> = {}): ConnectTencentRequest {
  return { SDKAppID: APP, userID: 'host', userSig: SIG, remember: false, ...overrides };
}

async function attach(options: Omit<CoreOptions, 'clock' | 'service' | 'userID'> = {}): Promise<Core> {
  return fixture.attach('operator', { loadSdk: sdk.loadSdk, accounts, log, tencentSignInTimeoutMs: 1_000, ...options });
}

beforeEach(async () => {
  fixture = await createCoreFixture();
  sdk = fakeSdkFactory();
  accounts = memoryAccountStore(STORAGE_REASON);
  lines = [];
  printed = [];
  for (const method of CONSOLE_METHODS) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args));
});

afterEach(async () => {
  await fixture.close();
  vi.restoreAllMocks();
  for (const method of CONSOLE_METHODS) console[method] = realConsole[method]!;
});

describe('connectTencent and remembering', () => {
  it('signs in, remembers the account when asked, and never hands the credential back', async () => {
    const core = await attach();
    const reply = await fixture.settle(core.api.connectTencent(request({ remember: true })));
    const expected = {
      backend: 'tencent',
      account: { SDKAppID: 1400000001, userID: 'host', credential: 'userSig' },
      remembered: true,
      secretStorage: { mode: 'memory', reason: STORAGE_REASON },
    };
    expect(reply).toEqual(expected);
    await expect(core.api.getConnection()).resolves.toEqual(expected);
    await expect(accounts.load()).resolves.toEqual({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'userSig', userSig: SIG } });
    const session = await core.api.getSession();
    expect(session).toMatchObject({ state: 'ready', backend: 'tencent', userID: 'host', reason: null });
    expect(sdk.last().logins).toEqual([{ userID: 'host', userSig: SIG }]);
    expect(JSON.stringify([reply, session, await core.dispatch('getConnection', undefined)])).not.toContain(SIG);
  });

  it('creates the SDK with unlimitedAVChatRoom and the SDKAppID as a number', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request({ SDKAppID: '20000001' })));
    expect(sdk.created).toHaveLength(1);
    expect(sdk.last().options).toEqual({ SDKAppID: 20000001, unlimitedAVChatRoom: true });
    expect(sdk.loadSdk).toHaveBeenCalledTimes(1);
  });

  it('with a secret key: signs in with a UserSig generated for this user, remembers the key, hands back neither', async () => {
    const core = await attach();
    const reply = await fixture.settle(core.api.connectTencent({ SDKAppID: APP, userID: 'host', secretKey: KEY.toUpperCase(), remember: true }));
    expect(reply.account).toEqual({ SDKAppID: 1400000001, userID: 'host', credential: 'secretKey' });
    const [login] = sdk.last().logins;
    expect(login?.userID).toBe('host');
    expect(login?.userSig).toMatch(/^[A-Za-z0-9*_\-+/=]{40,}$/);
    expect(login?.userSig.toLowerCase()).not.toContain(KEY);
    await expect(accounts.load()).resolves.toEqual({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'secretKey', secretKey: KEY } });
    const payloads = JSON.stringify([reply, await core.api.getSession(), await core.api.getConnection()]).toLowerCase();
    expect(payloads).not.toContain(KEY);
    expect(payloads).not.toContain(login!.userSig.toLowerCase());
  });

  it('with remember: false, saves nothing (the account in use still shows)', async () => {
    const core = await attach();
    const reply = await fixture.settle(core.api.connectTencent(request()));
    expect(reply).toMatchObject({ backend: 'tencent', account: { userID: 'host' }, remembered: false });
    await expect(accounts.load()).resolves.toBeNull();
  });

  it('forgetAccount forgets the remembered account, on Tencent and after switching back', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request({ remember: true })));
    await expect(core.api.forgetAccount()).resolves.toMatchObject({ backend: 'tencent', account: { userID: 'host' }, remembered: false });
    await expect(accounts.load()).resolves.toBeNull();

    await fixture.settle(core.api.connectTencent(request({ remember: true })));
    // Back on the embedded service the remembered account is still offered…
    await expect(fixture.settle(core.api.useEmbedded())).resolves.toEqual({
      backend: 'local',
      account: { SDKAppID: 1400000001, userID: 'host', credential: 'userSig' },
      remembered: true,
      secretStorage: { mode: 'memory', reason: STORAGE_REASON },
    });
    // …until it is forgotten.
    await expect(core.api.forgetAccount()).resolves.toEqual({ backend: 'local', account: null, remembered: false, secretStorage: { mode: 'memory', reason: STORAGE_REASON } });
    await expect(accounts.load()).resolves.toBeNull();
  });
});

describe('useEmbedded', () => {
  it('switches back: queued and in-flight writes of the Tencent connection fail with CONNECTION_CLOSED, nothing of it remains', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request()));
    const tencent = core.connection;
    const fake = sdk.last();
    await expect(core.api.getCounters({ groupID: 'fan-club' })).resolves.toMatchObject({ source: 'service', counters: { likes: '5' } });
    expect(tencent.session.counters.value('fan-club', 'likes')).toBe(5n);

    fake.writesHang = true;
    const inFlight = core.api.setCounters({ groupID: 'fan-club', counters: { likes: '6' } }).catch((error: unknown) => error);
    await fixture.clock.advance(0);
    fake.emit('netStateChange', { state: 'disconnected' });
    expect(tencent.session.current).toBe('reconnecting');
    const queued = [
      core.api.increaseCounter({ groupID: 'fan-club', key: 'gifts', value: '2' }).catch((error: unknown) => error),
      core.api.setCounters({ groupID: 'other', counters: { viewers: '1' } }).catch((error: unknown) => error),
    ];
    await fixture.clock.advance(0);
    expect(tencent.budget(fixture.clock.now()).write).toMatchObject({ inFlight: 1, queued: 2 });
    const sessions: SessionSnapshot[] = [];
    core.api.onSession((snapshot) => sessions.push(snapshot));

    const reply = await fixture.settle(core.api.useEmbedded());
    expect(reply).toMatchObject({ backend: 'local', account: null, remembered: false });
    for (const outcome of [await inFlight, ...(await Promise.all(queued))]) {
      expect(outcome).toMatchObject({ code: ErrorCode.CONNECTION_CLOSED, message: messageFor(ErrorCode.CONNECTION_CLOSED) });
    }

    expect(core.connection.id).not.toBe(tencent.id);
    const session = await core.api.getSession();
    expect(session).toMatchObject({ state: 'ready', backend: 'local', userID: 'operator', connection: core.connection.id });
    expect(sessions.at(-1)).toMatchObject({ state: 'ready', backend: 'local', connection: core.connection.id });
    expect(core.connection.session.counters.value('fan-club', 'likes')).toBeUndefined();
    expect(tencent.session.counters.value('fan-club', 'likes')).toBeUndefined();
    expect(fake.destroyed).toBe(true);
    expect(fake.handlerCount()).toBe(0);
    // The embedded service's own fan-club, not the 5 the Tencent group held.
    const embedded = fixture.service.counters('fan-club').get('likes');
    const read = await core.api.getCounters({ groupID: 'fan-club' });
    expect(read.source).toBe('service');
    expect(read.counters.likes).toBe(embedded === undefined ? undefined : embedded.toString());
    await expect(fixture.settle(core.api.setCounters({ groupID: 'fan-club', counters: { likes: '42' } }))).resolves.toEqual({ groupID: 'fan-club', counters: { likes: '42' } });
    expect(fixture.service.counters('fan-club').get('likes')).toBe(42n);
  });
});

describe('renewSignIn', () => {
  it('is refused on the embedded service, which needs no credential', async () => {
    const core = await attach();
    await expect(core.api.renewSignIn({ userSig: NEW_SIG })).rejects.toMatchObject({ code: ErrorCode.INVALID_REQUEST });
    expect(sdk.loadSdk).not.toHaveBeenCalled();
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'ready', backend: 'local' });
  });

  it('signs the account in again after a kick-out with the new UserSig, and updates the remembered one', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request({ remember: true })));
    const fake = sdk.last();
    fake.emit('kickedOut', { type: 'userSigExpired' });
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'kicked-out', reason: { code: ErrorCode.KICKED_OUT_USERSIG_EXPIRED } });
    const renewed = await fixture.settle(core.api.renewSignIn({ userSig: NEW_SIG }));
    expect(renewed).toMatchObject({ state: 'ready', backend: 'tencent', userID: 'host' });
    expect(JSON.stringify(renewed)).not.toContain(NEW_SIG);
    expect(fake.logins.at(-1)).toEqual({ userID: 'host', userSig: NEW_SIG });
    await expect(accounts.load()).resolves.toMatchObject({ credential: { kind: 'userSig', userSig: NEW_SIG } });
  });
});

describe('a failed sign-in', () => {
  it.each([ErrorCode.USERSIG_EXPIRED, ErrorCode.USERSIG_INVALID, ErrorCode.USERSIG_OTHER_USER])(
    'with %i leaves a failed session with Countdeck’s message, and remembers nothing',
    async (code) => {
      sdk = fakeSdkFactory(() => ({ code }));
      const core = await attach();
      const error = await fixture.settle(core.api.connectTencent(request({ remember: true }))).catch((reason: unknown) => reason);
      const reason = { code, message: messageFor(code) };
      expect(messageFor(code)).toBeDefined();
      expect(error).toMatchObject(reason);
      await expect(core.api.getSession()).resolves.toMatchObject({ state: 'failed', backend: 'tencent', userID: 'host', reason });
      await expect(core.api.getConnection()).resolves.toMatchObject({ backend: 'tencent', remembered: false });
      await expect(accounts.load()).resolves.toBeNull();
      // A failed account is not signed in again on its own.
      await fixture.clock.advance(120_000);
      expect(sdk.last().logins).toHaveLength(1);
    },
  );

  it('times out with SIGN_IN_TIMEOUT when the SDK never answers, or CANNOT_REACH when it said the link is down', async () => {
    let plan: LoginPlan = 'hang';
    sdk = fakeSdkFactory(() => plan);
    const core = await attach();
    await expect(fixture.settle(core.api.connectTencent(request()))).rejects.toMatchObject({
      code: ErrorCode.SIGN_IN_TIMEOUT,
      message: messageFor(ErrorCode.SIGN_IN_TIMEOUT),
    });
    plan = 'offline';
    await expect(fixture.settle(core.api.connectTencent(request({ SDKAppID: '1400000002' })))).rejects.toMatchObject({ code: ErrorCode.CANNOT_REACH });
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'failed', reason: { code: ErrorCode.CANNOT_REACH } });
  });

  // The session words its timeout reasons with the shared messages, one text per code.
  it('says CANNOT_REACH with the shared text of error-messages.ts', async () => {
    sdk = fakeSdkFactory(() => 'offline');
    const core = await attach();
    await expect(fixture.settle(core.api.connectTencent(request()))).rejects.toMatchObject({
      code: ErrorCode.CANNOT_REACH,
      message: messageFor(ErrorCode.CANNOT_REACH),
    });
  });
});

describe('resuming a remembered account', () => {
  it('starts the core on the Tencent connection and signs in with the stored credential', async () => {
    await accounts.save({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'userSig', userSig: SIG } });
    const core = await attach();
    expect(core.connection.backend.kind).toBe('tencent');
    expect(sdk.loadSdk).toHaveBeenCalledTimes(1);
    expect(sdk.last().options).toEqual({ SDKAppID: 1400000001, unlimitedAVChatRoom: true });
    await fixture.clock.advance(10);
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'ready', backend: 'tencent', userID: 'host' });
    expect(sdk.last().logins).toEqual([{ userID: 'host', userSig: SIG }]);
    await expect(core.api.getConnection()).resolves.toMatchObject({ backend: 'tencent', remembered: true, account: { credential: 'userSig' } });
  });

  it('still starts when the remembered account cannot sign in, showing why', async () => {
    sdk = fakeSdkFactory(() => ({ code: ErrorCode.USERSIG_EXPIRED }));
    await accounts.save({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'userSig', userSig: SIG } });
    const core = await attach();
    await fixture.clock.advance(10);
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'failed', reason: { code: ErrorCode.USERSIG_EXPIRED } });
    expect(lines.some((line) => line.level === 'warn' && line.message.includes('remembered account'))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(SIG);
  });
});

describe('connectTencent validation', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['letters for an SDKAppID', { SDKAppID: 'abc' }, 'sdkAppId.invalid'],
    ['SDKAppID 0', { SDKAppID: '0' }, 'sdkAppId.invalid'],
    ['an 11-digit SDKAppID', { SDKAppID: '14000000011' }, 'sdkAppId.invalid'],
    ['an SDKAppID over 2^32−1', { SDKAppID: '4294967296' }, 'sdkAppId.invalid'],
    ['a UserID of 33 bytes', { userID: 'a'.repeat(33) }, 'userId.tooLong'],
    ['a UserID of 17 × é = 34 bytes', { userID: 'é'.repeat(17) }, 'userId.tooLong'],
    ['a UserID with a space', { userID: 'a b' }, 'userId.characters'],
    ['both a UserSig and a secret key', { secretKey: KEY }, 'credential.both'],
    ['neither a UserSig nor a key', { userSig: undefined }, 'credential.none'],
    ['a key that is not hex', { userSig: undefined, secretKey: 'g'.repeat(64) }, 'secretKey.invalid'],
    ['a key of 63 hex characters', { userSig: undefined, secretKey: 'a'.repeat(63) }, 'secretKey.invalid'],
    ['a UserSig with a space', { userSig: 'eJw abc' }, 'userSig.characters'],
  ])('refuses %s with a coded error, creating no SDK', async (_label, overrides, reason) => {
    const core = await attach();
    const payload = { ...request(), ...overrides };
    const error = await core.api.connectTencent(payload as ConnectTencentRequest).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: ErrorCode.CREDENTIALS_INVALID, reason });
    expect((error as Error).message).not.toBe('');
    expect(sdk.loadSdk).not.toHaveBeenCalled();
    expect(sdk.created).toHaveLength(0);
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'ready', backend: 'local' });
    await expect(accounts.load()).resolves.toBeNull();
  });

  it('refuses a missing remember flag or an unknown field as an invalid request', async () => {
    const core = await attach();
    const { remember: _dropped, ...noRemember } = request();
    await expect(core.api.connectTencent(noRemember as ConnectTencentRequest)).rejects.toMatchObject({ code: ErrorCode.INVALID_REQUEST });
    await expect(core.api.connectTencent({ ...request(), extra: 1 } as ConnectTencentRequest)).rejects.toMatchObject({ code: ErrorCode.INVALID_REQUEST });
    expect(sdk.created).toHaveLength(0);
  });
});

describe("the SDK's console output", () => {
  const SDK_LINE = 'SocketHandler._onError';
  const onConsole = () => printed.filter((args) => args.some((arg) => typeof arg === 'string' && arg.includes(SDK_LINE)));
  const inLog = () => lines.filter((line) => line.message.includes(SDK_LINE));

  it('goes to the log (warn, styling removed) while one account is in use; the console is restored after', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request()));
    sdk.last().print(`12:00:00.000 | ${SDK_LINE} one`);
    expect(onConsole()).toEqual([]);
    expect(inLog()).toEqual([{ level: 'warn', message: `Chat  12:00:00.000 | ${SDK_LINE} one` }]);
    console.warn('not the SDK');
    expect(printed).toContainEqual(['not the SDK']);
    await fixture.settle(core.api.useEmbedded());
    expect(vi.isMockFunction(console.warn)).toBe(true);
  });

  // Switching account to account overlaps two backends (Switchboard.switchTo builds the new one
  // before closing the old): undoing the first routing must not unroute the second.
  it('still goes to the log after switching from one Tencent account to another', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request()));
    await fixture.settle(core.api.connectTencent(request({ SDKAppID: '1400000002' })));
    sdk.last().print(`12:00:00.000 | ${SDK_LINE} two`);
    expect(onConsole()).toEqual([]);
    expect(inLog()).toEqual([{ level: 'warn', message: `Chat  12:00:00.000 | ${SDK_LINE} two` }]);
    expect(sdk.created[0]!.destroyed).toBe(true);
  });

  it('leaves the console as it found it after switching account to account, then back', async () => {
    const core = await attach();
    await fixture.settle(core.api.connectTencent(request()));
    await fixture.settle(core.api.connectTencent(request({ SDKAppID: '1400000002' })));
    await fixture.settle(core.api.useEmbedded());
    expect(vi.isMockFunction(console.warn)).toBe(true);
  });
});
