import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/create-core';
import { ErrorCode } from '../../shared/errors';
import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import { collectBatches, createCoreFixture } from '../support/core-fixture';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { openTencentCore, ScriptedServer, settle } from '../support/scripted-sdk';

/**
 * One suite of core behaviours, run against both paths a core can take: the embedded local service,
 * and Tencent Cloud Chat (switched to through api.connectTencent) over the scripted SDK double. The
 * assertions are the same; where the two services differ by design, the world says how.
 */
interface World {
  kind: 'embedded' | 'tencent';
  clock: FakeClock;
  /** A core signed in as `userID`, ready. */
  signIn(userID: string): Promise<Core>;
  /** The service's own value of a counter. */
  counter(groupID: string, key: string): bigint | undefined;
  /** Whether values beyond ±(2^53−1) can be sent (the embedded service keeps int64; the SDK carries JS numbers). */
  carriesInt64: boolean;
  close(): Promise<void>;
}

async function embeddedWorld(latencyMs: number): Promise<World> {
  const fixture = await createCoreFixture(latencyMs);
  return {
    kind: 'embedded',
    clock: fixture.clock,
    signIn: (userID) => fixture.attach(userID),
    counter: (groupID, key) => fixture.service.counters(groupID).get(key),
    carriesInt64: true,
    close: () => fixture.close(),
  };
}

/** The demo groups of the embedded service, as a Tencent application would hold them. */
function seedTencent(server: ScriptedServer): void {
  const staff = ['operator', 'moderator'];
  server
    .addGroup({ groupID: 'live-friday', name: 'Friday Night Live', type: 'AVChatRoom', members: staff, counters: { viewers: 1_284, likes: 53_210, gifts: 342 } })
    .addGroup({ groupID: 'live-karaoke', name: 'Karaoke Hour', type: 'AVChatRoom', counters: { viewers: 87, likes: 1_530, gifts: 21 } })
    .addGroup({ groupID: 'fan-club', name: 'Fan Club', type: 'Public', members: staff, counters: { members_total: 4_821, badges: 97 } })
    .addGroup({ groupID: 'mod-team', name: 'Moderators', type: 'Private', members: staff, counters: { reports_open: 3, bans_today: 1 } })
    .addGroup({ groupID: 'studio-lobby', name: 'Studio Lobby', type: 'ChatRoom', members: staff, counters: { online: 12, messages: 2_048 } });
}

async function tencentWorld(latencyMs: number): Promise<World> {
  const clock = createFakeClock();
  const server = new ScriptedServer(clock, latencyMs);
  seedTencent(server);
  const cores: Core[] = [];
  return {
    kind: 'tencent',
    clock,
    signIn: async (userID) => {
      const { core } = await openTencentCore(server, clock, userID);
      cores.push(core);
      return core;
    },
    counter: (groupID, key) => {
      const value = server.counter(groupID, key);
      return value === undefined ? undefined : BigInt(value);
    },
    carriesInt64: false,
    close: async () => {
      for (const core of cores) await settle(clock, core.close());
    },
  };
}

const WORLDS = { embedded: embeddedWorld, tencent: tencentWorld } as const;
const LIVE = 'live-friday';

describe.each(['embedded', 'tencent'] as const)('core behaviours on the %s path', (kind) => {
  let world: World;
  const open = async (latencyMs = 0): Promise<World> => (world = await WORLDS[kind](latencyMs));
  afterEach(async () => world?.close());

  it('signs in and becomes ready', async () => {
    const { signIn } = await open();
    const { api } = await signIn('operator');
    await expect(api.getSession()).resolves.toMatchObject({
      state: 'ready',
      backend: kind === 'embedded' ? 'local' : 'tencent',
      userID: 'operator',
      reason: null,
    });
  });

  it('lists the groups the user is in, a live-stream room among them', async () => {
    const { signIn } = await open();
    const groups = await (await signIn('operator')).api.listGroups();
    expect(groups.map((group) => group.groupID)).toEqual(expect.arrayContaining([LIVE, 'fan-club', 'mod-team', 'studio-lobby']));
    expect(groups.map((group) => group.groupID)).not.toContain('live-karaoke');
    expect(groups.find((group) => group.groupID === LIVE)).toMatchObject({ type: 'AVChatRoom', name: 'Friday Night Live' });
  });

  it('joins a live room by ID, and again (already in it)', async () => {
    const { signIn } = await open();
    const { api } = await signIn('operator');
    await expect(api.joinGroup('live-karaoke')).resolves.toMatchObject({ groupID: 'live-karaoke', type: 'AVChatRoom', name: 'Karaoke Hour' });
    await expect(api.joinGroup('live-karaoke')).resolves.toMatchObject({ groupID: 'live-karaoke', type: 'AVChatRoom' });
    await expect(api.getCounters({ groupID: 'live-karaoke' })).resolves.toMatchObject({ counters: { viewers: '87', likes: '1530', gifts: '21' } });
    expect((await api.listGroups()).map((group) => group.groupID)).toContain('live-karaoke');
  });

  it('gets all counters of a group, then only the listed keys', async () => {
    const { signIn } = await open();
    const { api } = await signIn('operator');
    await expect(api.getCounters({ groupID: LIVE })).resolves.toEqual({
      groupID: LIVE,
      source: 'service',
      counters: { viewers: '1284', likes: '53210', gifts: '342' },
      updatedAt: {},
    });
    await expect(api.getCounters({ groupID: LIVE, keyList: ['likes', 'absent'] })).resolves.toEqual({ groupID: LIVE, source: 'held', counters: { likes: '53210' }, updatedAt: {} });
  });

  it("follows the seeds' examples: 8 + 2 = 10, 8 − 2 = 6, set key1 and key2 to 0", async () => {
    const { signIn, clock, counter } = await open();
    const { api } = await signIn('operator');
    const group = 'fan-club';
    await settle(clock, api.setCounters({ groupID: group, counters: { key1: '8' } }));
    await expect(settle(clock, api.increaseCounter({ groupID: group, key: 'key1', value: '2' }))).resolves.toEqual({ groupID: group, counters: { key1: '10' } });
    await settle(clock, api.setCounters({ groupID: group, counters: { key1: '8' } }));
    await expect(settle(clock, api.decreaseCounter({ groupID: group, key: 'key1', value: '2' }))).resolves.toEqual({ groupID: group, counters: { key1: '6' } });
    await expect(settle(clock, api.setCounters({ groupID: group, counters: { key1: '0', key2: '0' } }))).resolves.toEqual({
      groupID: group,
      counters: { key1: '0', key2: '0' },
    });
    expect([counter(group, 'key1'), counter(group, 'key2')]).toEqual([0n, 0n]);
  });

  it("delivers a second user's set to the first user's onCounterBatch", async () => {
    const { signIn, clock } = await open();
    const operator = await signIn('operator');
    const moderator = await signIn('moderator');
    const seen = collectBatches(operator);
    await settle(clock, moderator.api.setCounters({ groupID: LIVE, counters: { likes: '777' } }));
    await clock.advance(FLUSH_INTERVAL_MS);
    const updates = seen.flatMap((batch) => batch.updates);
    expect(updates).toContainEqual(expect.objectContaining({ groupID: LIVE, key: 'likes', value: '777' }));
    expect(seen.map((batch) => batch.seq)).toEqual(seen.map((_, index) => index + 1));
    await expect(operator.api.getSession()).resolves.toMatchObject({ state: 'ready' });
  });

  it('carries 1,000 increments over 5 s on 3 keys exactly: no 2996 reaches a caller, no call is refused', async () => {
    const { signIn, clock, counter } = await open(40);
    const core = await signIn('operator');
    const keys = ['likes', 'gifts', 'viewers'] as const;
    const start = new Map(keys.map((key) => [key, counter(LIVE, key)!]));
    const outcomes: Promise<'ok' | number>[] = [];
    const journalBefore = core.writeJournal.recent().length;
    for (let i = 0; i < 1_000; i += 1) {
      const call = core.api.increaseCounter({ groupID: LIVE, key: keys[i % 3]!, value: '1' });
      outcomes.push(call.then(() => 'ok' as const, (error: { code: number }) => error.code));
      await clock.advance(5);
    }
    await clock.advance(15_000);
    expect(await Promise.all(outcomes)).toEqual(outcomes.map(() => 'ok'));
    const sent = (key: string): bigint => BigInt(Array.from({ length: 1_000 }, (_, i) => keys[i % 3]).filter((k) => k === key).length);
    for (const key of keys) expect(counter(LIVE, key), key).toBe(start.get(key)! + sent(key));
    const calls = core.writeJournal.recent().slice(journalBefore);
    expect(calls.filter((entry) => entry.outcome === 'refused')).toEqual([]);
    expect(calls.every((entry) => entry.outcome === 'confirmed')).toBe(true);
  });

  it('refuses a 21st key with a coded error before spending write budget, even for a user who never read the group', async () => {
    const { signIn, clock, counter } = await open();
    const operator = (await signIn('operator')).api;
    const moderator = (await signIn('moderator')).api;
    await operator.getCounters({ groupID: LIVE });
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`extra${i}`, '1']));
    await settle(clock, operator.setCounters({ groupID: LIVE, counters: seventeen }));
    const before = (await operator.getBudget()).write.used;
    await expect(operator.setCounters({ groupID: LIVE, counters: { one_too_many: '1' } })).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
    expect((await operator.getBudget()).write.used).toBe(before);
    // The moderator never read the group: the core reads it before the first write, then knows the count.
    await expect(settle(clock, moderator.increaseCounter({ groupID: LIVE, key: 'one_too_many', value: '1' }))).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
    expect((await moderator.getBudget()).write.used).toBe(0);
    expect(counter(LIVE, 'one_too_many')).toBeUndefined();
    expect(counter(LIVE, 'extra16')).toBe(1n);
  });

  it('passes service errors through with their codes: 10007 not a member, 10010 no such group', async () => {
    const { signIn } = await open();
    const { api } = await signIn('outsider');
    await expect(api.getCounters({ groupID: 'mod-team' })).rejects.toMatchObject({ code: ErrorCode.NO_PERMISSION });
    await expect(api.increaseCounter({ groupID: 'mod-team', key: 'bans_today', value: '1' })).rejects.toMatchObject({ code: ErrorCode.NO_PERMISSION });
    await expect(api.joinGroup('mod-team')).rejects.toMatchObject({ code: ErrorCode.NO_PERMISSION });
    await expect(api.joinGroup('no-such-group')).rejects.toMatchObject({ code: ErrorCode.GROUP_NOT_FOUND });
    await expect(api.getCounters({ groupID: 'no-such-group' })).rejects.toMatchObject({ code: ErrorCode.GROUP_NOT_FOUND });
  });

  it('sends values up to ±(2^53−1) on both paths', async () => {
    const { signIn, counter } = await open();
    const { api } = await signIn('operator');
    const top = '9007199254740991';
    await expect(api.setCounters({ groupID: 'fan-club', counters: { top, bottom: `-${top}` } })).resolves.toEqual({
      groupID: 'fan-club',
      counters: { top, bottom: `-${top}` },
    });
    await expect(api.getCounters({ groupID: 'fan-club', keyList: ['top', 'bottom'] })).resolves.toMatchObject({ counters: { top, bottom: `-${top}` } });
    expect(counter('fan-club', 'top')).toBe(2n ** 53n - 1n);
  });

  it(
    kind === 'tencent'
      ? 'refuses values and changes beyond ±(2^53−1) with 9013, sending nothing'
      : 'keeps values and changes beyond ±(2^53−1) exact (int64)',
    async () => {
      const { signIn, counter, carriesInt64 } = await open();
      const { api } = await signIn('operator');
      const big = 2n ** 53n;
      const writes = [
        () => api.setCounters({ groupID: 'fan-club', counters: { big: String(big) } }),
        () => api.setCounters({ groupID: 'fan-club', counters: { small: String(-big - 1n) } }),
        () => api.increaseCounter({ groupID: 'fan-club', key: 'badges', value: String(big) }),
        () => api.decreaseCounter({ groupID: 'fan-club', key: 'members_total', value: String(big) }),
      ];
      const usedBefore = (await api.getBudget()).write.used;
      for (const write of writes) {
        if (carriesInt64) await expect(write()).resolves.toMatchObject({ groupID: 'fan-club' });
        else await expect(write()).rejects.toMatchObject({ code: ErrorCode.VALUE_NOT_EXACT });
      }
      if (carriesInt64) {
        expect([counter('fan-club', 'big'), counter('fan-club', 'small')]).toEqual([big, -big - 1n]);
        expect(counter('fan-club', 'badges')).toBe(97n + big);
        expect(counter('fan-club', 'members_total')).toBe(4_821n - big);
        await expect(api.getCounters({ groupID: 'fan-club', keyList: ['big', 'small', 'badges'] })).resolves.toMatchObject({
          counters: { big: String(big), small: String(-big - 1n), badges: String(97n + big) },
        });
      } else {
        expect([counter('fan-club', 'big'), counter('fan-club', 'small')]).toEqual([undefined, undefined]);
        expect([counter('fan-club', 'badges'), counter('fan-club', 'members_total')]).toEqual([97n, 4_821n]);
        expect((await api.getBudget()).write.used).toBe(usedBefore);
      }
    },
  );
});
