import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KickedOutType } from '../../electron/core/chat/chat-like';
import { createCore, type Core } from '../../electron/core/create-core';
import { ErrorCode } from '../../shared/errors';
import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import { collectBatches } from '../support/core-fixture';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { openTencentCore, ScriptedSdk, ScriptedServer, scriptedSdkFactory, SDK_APP_ID, settle } from '../support/scripted-sdk';

/** The core on Tencent Cloud Chat (via api.connectTencent) over the scripted SDK double, on a fake clock. */

const LIVE = 'live-friday';
const cores: { core: Core; clock: FakeClock }[] = [];
afterEach(async () => {
  for (const { core, clock } of cores.splice(0)) await settle(clock, core.close());
});

function world(latencyMs = 0): { clock: FakeClock; server: ScriptedServer } {
  const clock = createFakeClock();
  const server = new ScriptedServer(clock, latencyMs)
    .addGroup({ groupID: LIVE, name: 'Friday Night Live', type: 'AVChatRoom', members: ['alice', 'bob'], counters: { likes: 100, gifts: 10 } })
    .addGroup({ groupID: 'fan-club', type: 'Public', members: ['alice', 'bob'], counters: { badges: 97 } });
  return { clock, server };
}

async function signedIn(latencyMs = 0) {
  const { clock, server } = world(latencyMs);
  const { core, sdk, userSig } = await openTencentCore(server, clock, 'alice');
  cores.push({ core, clock });
  return { clock, server, core, api: core.api, sdk, userSig };
}

const writesSent = (sdk: ScriptedSdk) => sdk.sent.filter((entry) => entry.command !== 'get' && entry.command !== 'getGroupList' && entry.command !== 'joinGroup');

describe('the scripted SDK double itself', () => {
  it('refuses the 21st write of a window with 2996 before sending, counts refusals, and reopens after 5 s', async () => {
    const { clock, server } = world();
    const sdk = scriptedSdkFactory(server).factory({ SDKAppID: SDK_APP_ID, unlimitedAVChatRoom: true }) as ScriptedSdk;
    await expect(sdk.login({ userID: 'alice', userSig: 'forged' })).rejects.toMatchObject({ code: ErrorCode.USERSIG_INVALID });
    const ready: string[] = [];
    sdk.on('sdkStateReady', (event) => ready.push(event.name));
    await expect(sdk.login({ userID: 'alice', userSig: server.issueSig('alice') })).resolves.toEqual({ code: 0, data: { repeatLogin: false } });
    expect(ready).toEqual(['sdkStateReady']);
    const calls = Array.from({ length: 21 }, () => sdk.increaseGroupCounter({ groupID: LIVE, key: 'likes', value: 1 }).then(() => 0, (error: { code: number }) => error.code));
    expect(await Promise.all(calls)).toEqual([...Array<number>(20).fill(0), ErrorCode.OVER_FREQUENCY_LIMIT]);
    expect([server.counter(LIVE, 'likes'), sdk.sent.length]).toEqual([120, 20]);
    await clock.advance(5_000);
    await expect(sdk.increaseGroupCounter({ groupID: LIVE, key: 'likes', value: 1 })).rejects.toMatchObject({ code: ErrorCode.OVER_FREQUENCY_LIMIT });
    await clock.advance(1);
    await expect(sdk.setGroupCounters({ groupID: LIVE, counters: { likes: 0 } })).resolves.toEqual({ code: 0, data: { counters: { likes: 0 } } });
  });

  it('answers reads from its cache for 30 s after a fetch or notice, free of budget; a write before any read leaves the cache partial', async () => {
    const { clock, server } = world();
    const sdk = scriptedSdkFactory(server).factory({ SDKAppID: SDK_APP_ID, unlimitedAVChatRoom: true }) as ScriptedSdk;
    await sdk.login({ userID: 'alice', userSig: server.issueSig('alice') });
    await expect(sdk.getGroupCounters({ groupID: LIVE, keyList: ['gifts'] })).resolves.toEqual({ code: 0, data: { counters: { gifts: 10 } } });
    for (let i = 0; i < 25; i += 1) await sdk.getGroupCounters({ groupID: LIVE });
    server.adminSet(LIVE, { gifts: 11 });
    await clock.advance(29_999);
    await expect(sdk.getGroupCounters({ groupID: LIVE })).resolves.toEqual({ code: 0, data: { counters: { likes: 100, gifts: 11 } } });
    expect(sdk.sent.filter((entry) => entry.command === 'get')).toHaveLength(1);
    await clock.advance(1);
    await sdk.getGroupCounters({ groupID: LIVE });
    expect(sdk.sent.filter((entry) => entry.command === 'get')).toHaveLength(2);
    // As in @tencentcloud/chat 3.6: the write opens an empty cache entry, and its notice makes it "fresh".
    await sdk.increaseGroupCounter({ groupID: 'fan-club', key: 'stars', value: 1 });
    await expect(sdk.getGroupCounters({ groupID: 'fan-club' })).resolves.toEqual({ code: 0, data: { counters: { stars: 1 } } });
  });

  it('re-sends a request the server applied when the link comes back, so it is applied twice', async () => {
    const { server } = world();
    const sdk = scriptedSdkFactory(server).factory({ SDKAppID: SDK_APP_ID, unlimitedAVChatRoom: true }) as ScriptedSdk;
    await sdk.login({ userID: 'alice', userSig: server.issueSig('alice') });
    sdk.applyThenDrop();
    const reply = sdk.increaseGroupCounter({ groupID: LIVE, key: 'likes', value: 5 });
    expect(server.counter(LIVE, 'likes')).toBe(105);
    sdk.restoreLink();
    await expect(reply).resolves.toEqual({ code: 0, data: { counters: { likes: 110 } } });
    expect(server.appliedTo(LIVE).map((write) => write.resend)).toEqual([false, true]);
  });
});

describe.each([
  ['multipleAccount', ErrorCode.KICKED_OUT_MULT_ACCOUNT],
  ['multipleDevice', ErrorCode.KICKED_OUT_MULT_DEVICE],
  ['userSigExpired', ErrorCode.KICKED_OUT_USERSIG_EXPIRED],
  ['REST_API_Kick', ErrorCode.KICKED_OUT_REST_API],
] as const)('kicked out (%s)', (type: KickedOutType, code: number) => {
  it(`says so with ${code}, keeps the writes queued meanwhile, and sends them once after renewSignIn`, async () => {
    const { clock, server, api, sdk, userSig } = await signedIn();
    await api.getCounters({ groupID: LIVE });
    if (type === 'userSigExpired') sdk.expireUserSig();
    else sdk.kick(type);
    await clock.advance(0);
    await expect(api.getSession()).resolves.toMatchObject({ state: 'kicked-out', reason: { code } });

    const writes = [
      ...Array.from({ length: 5 }, () => api.increaseCounter({ groupID: LIVE, key: 'likes', value: '2' })),
      api.setCounters({ groupID: LIVE, counters: { gifts: '50' } }),
    ];
    await clock.advance(10_000);
    expect(writesSent(sdk)).toEqual([]);
    expect(server.applied).toEqual([]);

    if (type === 'userSigExpired') {
      // The expired sig no longer signs in; the queue survives the refusal.
      await expect(settle(clock, api.renewSignIn({ userSig }))).rejects.toMatchObject({ code: ErrorCode.USERSIG_EXPIRED });
      expect(server.applied).toEqual([]);
    }
    await expect(settle(clock, api.renewSignIn({ userSig: server.issueSig('alice') }))).resolves.toMatchObject({ state: 'ready' });
    await expect(settle(clock, Promise.all(writes))).resolves.toHaveLength(6);
    expect([server.counter(LIVE, 'likes'), server.counter(LIVE, 'gifts')]).toEqual([110, 50]);
    expect(server.applied.map((write) => [write.command, write.counters, write.resend])).toEqual([
      ['increase', { likes: 10 }, false],
      ['set', { gifts: 50 }, false],
    ]);
  });
});

describe('the Tencent session', () => {
  it('is kicked out (multipleAccount) when the same user signs in on another instance', async () => {
    const { clock, server, api } = await signedIn();
    const other = await openTencentCore(server, clock, 'alice');
    cores.push({ core: other.core, clock });
    await clock.advance(0);
    await expect(api.getSession()).resolves.toMatchObject({ state: 'kicked-out', reason: { code: ErrorCode.KICKED_OUT_MULT_ACCOUNT } });
    await expect(other.core.api.getSession()).resolves.toMatchObject({ state: 'ready' });
  });

  it('fails a sign-in with an expired UserSig (70001), keeps writes queued, and sends them once after renewSignIn', async () => {
    const { clock, server } = world();
    const expired = server.issueSig('alice');
    server.expireSig(expired);
    const { factory, instances } = scriptedSdkFactory(server);
    const core = await settle(clock, createCore({ clock, loadSdk: async () => factory }));
    cores.push({ core, clock });
    const { api } = core;
    await expect(settle(clock, api.connectTencent({ SDKAppID: String(SDK_APP_ID), userID: 'alice', userSig: expired, remember: false }))).rejects.toMatchObject({
      code: ErrorCode.USERSIG_EXPIRED,
      message: expect.stringContaining('expired'),
    });
    await expect(api.getSession()).resolves.toMatchObject({ state: 'failed', backend: 'tencent', reason: { code: ErrorCode.USERSIG_EXPIRED } });
    const writes = [api.increaseCounter({ groupID: LIVE, key: 'likes', value: '4' }), api.increaseCounter({ groupID: LIVE, key: 'likes', value: '6' })];
    await clock.advance(10_000);
    expect(server.applied).toEqual([]);
    await expect(settle(clock, api.renewSignIn({ userSig: server.issueSig('alice') }))).resolves.toMatchObject({ state: 'ready', userID: 'alice' });
    await settle(clock, Promise.all(writes));
    expect(server.counter(LIVE, 'likes')).toBe(110);
    expect(server.applied).toHaveLength(1);
    expect(writesSent(instances[0]!)).toEqual([{ command: 'increase', resend: false }]);
  });

  it('holds writes while the link is down and sends each once when it returns, the sum conserved', async () => {
    const { clock, server, api, sdk } = await signedIn(20);
    await settle(clock, api.getCounters({ groupID: LIVE }));
    sdk.dropLink();
    await clock.advance(20);
    await expect(api.getSession()).resolves.toMatchObject({ state: 'reconnecting', reason: { code: ErrorCode.NETWORK_ERROR } });
    const writes = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? api.decreaseCounter({ groupID: LIVE, key: 'gifts', value: '1' }) : api.increaseCounter({ groupID: LIVE, key: 'likes', value: '2' }),
    );
    await clock.advance(3_000);
    expect(writesSent(sdk)).toEqual([]);
    sdk.restoreLink();
    await settle(clock, Promise.all(writes));
    expect([server.counter(LIVE, 'likes'), server.counter(LIVE, 'gifts')]).toEqual([100 + 40, 10 - 10]);
    expect(server.applied.every((write) => !write.resend)).toBe(true);
    await expect(api.getSession()).resolves.toMatchObject({ state: 'ready' });
  });

  // The SDK re-sends a request that was on its way when the link dropped, with no idempotency key, so
  // the service may count it twice; Countdeck cannot stop that, but checks and undoes the duplicate.
  it('counts a write that was in flight when the link dropped exactly once, though the SDK re-sends it', async () => {
    const { clock, server, api, core, sdk } = await signedIn();
    await api.getCounters({ groupID: LIVE });
    sdk.applyThenDrop();
    const first = api.increaseCounter({ groupID: LIVE, key: 'likes', value: '5' });
    await clock.advance(0);
    await expect(api.getSession()).resolves.toMatchObject({ state: 'reconnecting' });
    const queued = api.increaseCounter({ groupID: LIVE, key: 'likes', value: '3' });
    await clock.advance(2_000);
    sdk.restoreLink();
    const [once, then] = await settle(clock, Promise.all([first, queued]));
    await settle(clock, new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 6_000)));
    expect(server.counter(LIVE, 'likes')).toBe(100 + 5 + 3);
    expect(server.applied.filter((write) => write.counters.likes === 5)).toHaveLength(2);
    expect(once).toEqual({ groupID: LIVE, counters: { likes: '105' } });
    expect(then.counters.likes).toBeDefined();
    expect(core.writeJournal.recent().map((entry) => entry.outcome)).toContain('reconciled-doubled');
  });

  it.each([true, false])('reconciles a 2801 timeout (applied: %s) before any retry, and applies it once', async (applied) => {
    const { clock, server, core, api, sdk } = await signedIn();
    await api.getCounters({ groupID: LIVE });
    sdk.timeoutNext({ applied, afterMs: 3_000 });
    const result = api.increaseCounter({ groupID: LIVE, key: 'gifts', value: '5' });
    await expect(settle(clock, result)).resolves.toEqual({ groupID: LIVE, counters: { gifts: '15' } });
    expect(server.counter(LIVE, 'gifts')).toBe(15);
    expect(server.appliedTo(LIVE, 'gifts')).toHaveLength(1);
    expect(writesSent(sdk)).toHaveLength(applied ? 1 : 2);
    expect(core.writeJournal.recent().map((entry) => entry.outcome)).toEqual(applied ? ['reconciled-applied'] : ['reconciled-resent', 'confirmed']);
  });

  it("answers 3122 with Countdeck's message when the application lacks the Ultimate edition", async () => {
    const { server, api } = await signedIn();
    server.ultimate = false;
    const ultimate = { code: ErrorCode.NO_USE, message: expect.stringContaining('Ultimate edition') };
    await expect(api.increaseCounter({ groupID: LIVE, key: 'likes', value: '1' })).rejects.toMatchObject(ultimate);
    await expect(api.setCounters({ groupID: LIVE, counters: { likes: '1' } })).rejects.toMatchObject(ultimate);
    await expect(api.getCounters({ groupID: LIVE })).rejects.toMatchObject(ultimate);
    expect(server.applied).toEqual([]);
  });

  it('retries a 2996 from the server at the next free slot; the caller never sees it', async () => {
    const { clock, server, core, api } = await signedIn();
    server.failNext(ErrorCode.OVER_FREQUENCY_LIMIT, 'read');
    await expect(settle(clock, api.getCounters({ groupID: LIVE }))).resolves.toMatchObject({ counters: { likes: '100' }, source: 'service' });
    server.failNext(ErrorCode.OVER_FREQUENCY_LIMIT, 'write');
    await expect(settle(clock, api.increaseCounter({ groupID: LIVE, key: 'likes', value: '3' }))).resolves.toEqual({ groupID: LIVE, counters: { likes: '103' } });
    expect(core.writeJournal.recent().map((entry) => entry.outcome)).toEqual(['refused', 'confirmed']);
    expect(server.appliedTo(LIVE)).toHaveLength(1);
  });

  it('flags a value beyond 2^53 from the server as inexact, in counter batches and getCounters replies', async () => {
    const { clock, server, core, api } = await signedIn();
    await api.getCounters({ groupID: LIVE });
    const batches = collectBatches(core);
    server.adminSet(LIVE, { big: 2 ** 53 + 2 });
    await clock.advance(FLUSH_INTERVAL_MS);
    expect(batches.flatMap((batch) => batch.updates)).toContainEqual(expect.objectContaining({ groupID: LIVE, key: 'big', value: '9007199254740994', inexact: true }));
    await expect(api.getCounters({ groupID: LIVE, keyList: ['big', 'likes'] })).resolves.toEqual({
      groupID: LIVE,
      source: 'held',
      counters: { big: '9007199254740994', likes: '100' },
      updatedAt: { big: clock.now() - FLUSH_INTERVAL_MS },
      inexact: ['big'],
    });
    const bob = await openTencentCore(server, clock, 'bob');
    cores.push({ core: bob.core, clock });
    await expect(bob.core.api.getCounters({ groupID: LIVE })).resolves.toMatchObject({ source: 'service', counters: { big: '9007199254740994' }, inexact: ['big'] });
  });

  // The SDK caches a group from the first call on it and feeds that cache with notices only.
  it('answers every counter of a live room joined after events started (the SDK cache holds only the keys seen in notices)', async () => {
    const { clock, server, api } = await signedIn();
    server.addGroup({ groupID: 'live-late', type: 'AVChatRoom', members: ['bob'], counters: { viewers: 500, likes: 7 } });
    await api.joinGroup('live-late');
    server.adminSet('live-late', { likes: 8 });
    await clock.advance(0);
    await expect(api.getCounters({ groupID: 'live-late' })).resolves.toMatchObject({ counters: { viewers: '500', likes: '8' } });
  });

  // Same cache: a write before any read would have started it with just the written key.
  it('answers every counter of a group after a write to it that preceded any read', async () => {
    const { clock, api } = await signedIn();
    await settle(clock, api.increaseCounter({ groupID: 'fan-club', key: 'stars', value: '1' }));
    await expect(api.getCounters({ groupID: 'fan-club' })).resolves.toMatchObject({ counters: { badges: '97', stars: '1' } });
  });

  it("still routes the SDK's console output to the log after switching to another account", async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const { clock, server } = world();
      const logged: string[] = [];
      const { factory } = scriptedSdkFactory(server);
      const log = { info: (line: string) => logged.push(line), warn: () => {}, error: () => {} };
      const core = await settle(clock, createCore({ clock, log, loadSdk: async () => factory }));
      cores.push({ core, clock });
      for (const userID of ['alice', 'bob']) {
        await settle(clock, core.api.connectTencent({ SDKAppID: String(SDK_APP_ID), userID, userSig: server.issueSig(userID), remember: false }));
      }
      console.log('Chat SDK line while bob is signed in');
      expect(logged).toContain('Chat SDK line while bob is signed in');
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });
});
