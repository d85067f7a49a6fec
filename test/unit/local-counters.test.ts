import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterMap } from '../../electron/core/chat/chat-like';
import { openLocalService, type LocalChatClient, type LocalService } from '../../electron/core/chat/local';
import { ErrorCode } from '../../shared/errors';
import { INT64_MAX, INT64_MIN } from '../../shared/limits';

const GROUP = 'fan-club';
let service: LocalService;
let client: LocalChatClient;

beforeEach(async () => {
  service = await openLocalService({ log: () => undefined });
  client = service.createClient();
  await client.login({ userID: 'operator', userSig: 'sig' });
});
afterEach(() => service.close());

const set = (counters: CounterMap, groupID = GROUP) => client.setGroupCounters({ groupID, counters });
const increase = (key: string, value: bigint, groupID = GROUP) => client.increaseGroupCounter({ groupID, key, value });
const decrease = (key: string, value: bigint, groupID = GROUP) => client.decreaseGroupCounter({ groupID, key, value });
const seqOf = async (groupID = GROUP) => (await client.getGroupCounters({ groupID })).data.groupCounterSeq;

describe('local service: parameter types (the SDK throws synchronously)', () => {
  const call = (method: string, options: unknown) => () =>
    (client as unknown as Record<string, (options: unknown) => unknown>)[method]?.(options);

  it.each([
    ['getGroupCounters', { groupID: 1 }],
    ['getGroupCounters', { groupID: GROUP, keyList: 'key1' }],
    ['getGroupCounters', { groupID: GROUP, keyList: ['key1', 2] }],
    ['setGroupCounters', { groupID: GROUP, counters: null }],
    ['setGroupCounters', { groupID: GROUP, counters: [1n] }],
    ['setGroupCounters', { groupID: GROUP, counters: { key1: 1 } }],
    ['setGroupCounters', { groupID: GROUP }],
    ['increaseGroupCounter', { groupID: GROUP, key: 'key1', value: 2 }],
    ['increaseGroupCounter', { groupID: GROUP, key: 7, value: 2n }],
    ['decreaseGroupCounter', { groupID: null, key: 'key1', value: 2n }],
    ['decreaseGroupCounter', undefined],
  ])('%s(%o) throws "Params validate failed."', (method, options) => {
    let thrown: unknown;
    try {
      call(method, options)();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('Params validate failed.');
    expect(thrown).not.toHaveProperty('code');
  });

  it('throws before the login check and without spending budget', async () => {
    const stranger = service.createClient();
    const wrongValue = { groupID: GROUP, key: 'k', value: 1 as unknown as bigint };
    expect(() => stranger.increaseGroupCounter(wrongValue)).toThrow('Params validate failed.');
    for (let i = 0; i < 25; i += 1) expect(() => client.increaseGroupCounter(wrongValue)).toThrow();
    for (let i = 0; i < 20; i += 1) await increase('k', 1n);
    expect(service.counters(GROUP).get('k')).toBe(20n);
  });
});

describe('local service: the seed examples', () => {
  it('increases key1 from 8 by 2 to 10', async () => {
    await set({ key1: 8n });
    await expect(increase('key1', 2n)).resolves.toEqual({ code: 0, data: { counters: { key1: 10n } } });
  });

  it('decreases key1 from 8 by 2 to 6', async () => {
    await set({ key1: 8n });
    await expect(decrease('key1', 2n)).resolves.toEqual({ code: 0, data: { counters: { key1: 6n } } });
  });

  it('sets key1 and key2 to 0 and answers with exactly those counters', async () => {
    await expect(set({ key1: 0n, key2: 0n })).resolves.toEqual({ code: 0, data: { counters: { key1: 0n, key2: 0n } } });
  });

  it('reads all counters without keyList or with an empty one, the matching ones otherwise', async () => {
    const all = { members_total: 4_821n, badges: 97n, lifetime_points: 9_007_199_254_740_993n };
    await expect(client.getGroupCounters({ groupID: GROUP })).resolves.toEqual({
      code: 0,
      data: { counters: all, groupCounterSeq: 0 },
    });
    await expect(client.getGroupCounters({ groupID: GROUP, keyList: [] })).resolves.toMatchObject({
      data: { counters: all },
    });
    await expect(client.getGroupCounters({ groupID: GROUP, keyList: ['badges', 'missing'] })).resolves.toMatchObject({
      data: { counters: { badges: 97n } },
    });
  });
});

describe('local service: writes', () => {
  it('creates a missing key at 0 before applying a delta', async () => {
    await expect(increase('fresh', 5n)).resolves.toMatchObject({ data: { counters: { fresh: 5n } } });
    await expect(decrease('fresh2', 5n)).resolves.toMatchObject({ data: { counters: { fresh2: -5n } } });
  });

  it('does not check the sign of a delta (Countdeck validates before)', async () => {
    await set({ key1: 8n });
    await expect(increase('key1', -3n)).resolves.toMatchObject({ data: { counters: { key1: 5n } } });
    await expect(decrease('key1', -3n)).resolves.toMatchObject({ data: { counters: { key1: 8n } } });
    await expect(increase('key1', 0n)).resolves.toMatchObject({ data: { counters: { key1: 8n } } });
  });

  it('bumps groupCounterSeq by one per successful write, however many keys it touches', async () => {
    await set({ a: 1n, b: 2n, c: 3n });
    expect(await seqOf()).toBe(1);
    await increase('a', 1n);
    await decrease('b', 1n);
    expect(await seqOf()).toBe(3);
    await expect(increase('a', INT64_MAX)).rejects.toMatchObject({ code: ErrorCode.RESULT_OUT_OF_RANGE });
    expect(await seqOf()).toBe(3);
  });

  it('overwrites existing keys and keeps the others', async () => {
    await set({ badges: 1n, extra: 2n });
    expect(service.counters(GROUP)).toEqual(
      new Map([
        ['members_total', 4_821n],
        ['badges', 1n],
        ['lifetime_points', 9_007_199_254_740_993n],
        ['extra', 2n],
      ]),
    );
  });

  it('refuses an empty set with 10004', async () => {
    await expect(set({})).rejects.toMatchObject({ code: ErrorCode.INVALID_PARAMETER });
  });
});

describe('local service: keys', () => {
  it('takes a key of 128 bytes and refuses 129 with KEY_TOO_LONG', async () => {
    await expect(set({ ['k'.repeat(128)]: 1n })).resolves.toMatchObject({ code: 0 });
    await expect(increase('k'.repeat(129), 1n)).rejects.toMatchObject({
      code: ErrorCode.KEY_TOO_LONG,
      message: expect.stringContaining('129'),
    });
  });

  it('counts UTF-8 bytes: 42 Chinese characters and 2 letters fit, 43 Chinese characters do not', async () => {
    const atLimit = `${'计'.repeat(42)}ab`;
    await expect(increase(atLimit, 1n)).resolves.toMatchObject({ data: { counters: { [atLimit]: 1n } } });
    await expect(set({ ['计'.repeat(43)]: 1n })).rejects.toMatchObject({ code: ErrorCode.KEY_TOO_LONG });
  });

  it('refuses an empty key with KEY_INVALID', async () => {
    await expect(increase('', 1n)).rejects.toMatchObject({ code: ErrorCode.KEY_INVALID });
  });

  it('holds "__proto__" as an ordinary key', async () => {
    const counters = Object.fromEntries([['__proto__', 3n]]) as CounterMap;
    const reply = await set(counters);
    expect(Object.keys(reply.data.counters)).toEqual(['__proto__']);
    expect(service.counters(GROUP).get('__proto__')).toBe(3n);
  });
});

describe('local service: at most 20 counters per group', () => {
  // studio-lobby starts with 2 counters.
  const LOBBY = 'studio-lobby';
  const keys = (from: number, count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${from + i}`, BigInt(i)])) as CounterMap;

  it('takes the 20th key and refuses the 21st, by set or by increase', async () => {
    await expect(set(keys(0, 18), LOBBY)).resolves.toMatchObject({ code: 0 });
    expect(service.counters(LOBBY).size).toBe(20);
    await expect(set({ k99: 1n }, LOBBY)).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
    await expect(increase('k99', 1n, LOBBY)).rejects.toMatchObject({
      code: ErrorCode.TOO_MANY_COUNTERS,
      message: expect.stringContaining('21'),
    });
    await expect(decrease('k99', 1n, LOBBY)).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
    await expect(increase('k0', 1n, LOBBY)).resolves.toMatchObject({ code: 0 });
    await expect(set({ k1: 5n, online: 0n }, LOBBY)).resolves.toMatchObject({ code: 0 });
    expect(service.counters(LOBBY).has('k99')).toBe(false);
  });

  it('refuses a set that would pass 20 as a whole, changing nothing', async () => {
    await expect(set(keys(0, 19), LOBBY)).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
    expect(service.counters(LOBBY).size).toBe(2);
  });
});

describe('local service: int64 values', () => {
  it('sets INT64_MIN and INT64_MAX, refuses one past either with VALUE_OUT_OF_RANGE', async () => {
    await expect(set({ max: INT64_MAX, min: INT64_MIN })).resolves.toMatchObject({
      data: { counters: { max: INT64_MAX, min: INT64_MIN } },
    });
    await expect(set({ max: INT64_MAX + 1n })).rejects.toMatchObject({ code: ErrorCode.VALUE_OUT_OF_RANGE });
    await expect(set({ min: INT64_MIN - 1n })).rejects.toMatchObject({ code: ErrorCode.VALUE_OUT_OF_RANGE });
  });

  it('increases to INT64_MAX, and refuses one more with RESULT_OUT_OF_RANGE, changing nothing', async () => {
    await set({ big: INT64_MAX - 1n });
    await expect(increase('big', 1n)).resolves.toMatchObject({ data: { counters: { big: INT64_MAX } } });
    await expect(increase('big', 1n)).rejects.toMatchObject({
      code: ErrorCode.RESULT_OUT_OF_RANGE,
      message: expect.stringContaining('nothing changed'),
    });
    expect(service.counters(GROUP).get('big')).toBe(INT64_MAX);
  });

  it('decreases to INT64_MIN, and refuses one more with RESULT_OUT_OF_RANGE, changing nothing', async () => {
    await set({ small: INT64_MIN + 1n });
    await expect(decrease('small', 1n)).resolves.toMatchObject({ data: { counters: { small: INT64_MIN } } });
    await expect(decrease('small', 1n)).rejects.toMatchObject({ code: ErrorCode.RESULT_OUT_OF_RANGE });
    expect(service.counters(GROUP).get('small')).toBe(INT64_MIN);
  });

  it('refuses a delta outside int64 and does not create the key', async () => {
    await expect(increase('huge', INT64_MAX + 1n)).rejects.toMatchObject({ code: ErrorCode.VALUE_OUT_OF_RANGE });
    expect(service.counters(GROUP).has('huge')).toBe(false);
  });

  it('is all-or-nothing: one bad value or key leaves every counter as it was', async () => {
    await expect(set({ badges: 1n, worse: INT64_MAX + 1n })).rejects.toMatchObject({
      code: ErrorCode.VALUE_OUT_OF_RANGE,
    });
    await expect(set({ badges: 1n, ['x'.repeat(129)]: 1n })).rejects.toMatchObject({ code: ErrorCode.KEY_TOO_LONG });
    expect(service.counters(GROUP).get('badges')).toBe(97n);
  });
});

describe('local service: which groups', () => {
  it('answers 10010 for an unknown group, for reads and writes', async () => {
    const notFound = { code: ErrorCode.GROUP_NOT_FOUND };
    await expect(client.getGroupCounters({ groupID: 'nope' })).rejects.toMatchObject(notFound);
    await expect(set({ a: 1n }, 'nope')).rejects.toMatchObject(notFound);
  });

  it('answers TOPIC_NOT_SUPPORTED for a Community topic', async () => {
    const topic = '@TGS#_creators@TOPIC#_news';
    const refused = { code: ErrorCode.TOPIC_NOT_SUPPORTED };
    await expect(client.getGroupCounters({ groupID: topic })).rejects.toMatchObject(refused);
    await expect(increase('a', 1n, topic)).rejects.toMatchObject(refused);
  });

  it('answers 10007 to a non-member, and the group is unchanged', async () => {
    const stranger = service.createClient();
    await stranger.login({ userID: 'stranger', userSig: 'sig' });
    const noPermission = { code: ErrorCode.NO_PERMISSION };
    await expect(stranger.getGroupCounters({ groupID: 'mod-team' })).rejects.toMatchObject(noPermission);
    await expect(
      stranger.increaseGroupCounter({ groupID: 'mod-team', key: 'reports_open', value: 1n }),
    ).rejects.toMatchObject(noPermission);
    expect(service.counters('mod-team').get('reports_open')).toBe(3n);
  });

  it('has counters on every group type but topics', async () => {
    for (const groupID of ['live-friday', 'fan-club', 'mod-team', 'studio-lobby', '@TGS#_creators']) {
      await expect(increase('touched', 1n, groupID)).resolves.toMatchObject({ code: 0 });
    }
  });

  it('throws from counters() for an unknown group', () => {
    expect(() => service.counters('nope')).toThrow(/no group "nope"/);
  });
});
