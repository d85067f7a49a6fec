import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/create-core';
import { ErrorCode } from '../../shared/errors';
import { API_METHODS, isApiMethod, type ApiMethod } from '../../shared/ipc-contract';
import { INT64_MAX, INT64_MIN } from '../../shared/limits';
import { parseRequest } from '../../shared/request-schemas';
import type { Result } from '../../shared/result';
import { createCoreFixture, type CoreFixture } from '../support/core-fixture';

/**
 * Fuzzes the untrusted entry point `core.dispatch`: random and near-valid payloads for every call of
 * the contract must be answered with a coded failure, never a throw, and must leave the embedded
 * service exactly as it was. Deterministic: every property runs from a fixed seed.
 */

const SEED = 20_261_123;
const RUNS = 1_100;
const MIN_INVALID = 1_000;
const CODES = new Set<number>(Object.values(ErrorCode));

/** Demo groups the operator belongs to, and the room nobody is in (joining it would change state). */
const MEMBER_GROUPS = ['live-friday', 'fan-club', 'mod-team', 'studio-lobby', '@TGS#_creators'] as const;
const DEMO_GROUPS = [...MEMBER_GROUPS, 'live-karaoke'] as const;

// ---- values -------------------------------------------------------------------------------------

const HUGE = ['9'.repeat(1_000_000), 'k'.repeat(100_000), '赞'.repeat(50_000), '@TGS#_x@TOPIC#_y'.repeat(4_000)];
const huge = fc.constantFrom(...HUGE);
const trickyKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'groupID', 'counters', 'key', 'value', 'keyList');
const wild = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  key: fc.oneof(fc.string(), trickyKey),
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});
/** Anything but text, where text is expected. */
const notText = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constantFrom(null, undefined, NaN, Infinity),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.date(),
);
/** Anything but a key → value map (a list included). */
const notAMap = fc.oneof(fc.integer(), fc.bigInt(), fc.boolean(), fc.string(), fc.constantFrom(null, undefined), fc.array(fc.string(), { maxLength: 3 }));

const groupID = fc.constantFrom(...MEMBER_GROUPS);
const key = fc.constantFrom('likes', 'viewers', 'gifts', 'badges', 'reports_open', 'fresh_key');
const value = fc.bigInt({ min: INT64_MIN, max: INT64_MAX }).map(String);
const delta = fc.bigInt({ min: 1n, max: INT64_MAX }).map(String);

const badGroupID = fc.oneof(
  fc.constantFrom('', '   ', ' fan-club', 'fan-club ', '直播', 'fan\nclub', 'fan\u0000club', 'g'.repeat(49)),
  fc.constantFrom('@TGS#_x@TOPIC#_y', '@TGS#_creators@TOPIC#_general'),
  fc.string({ minLength: 49, maxLength: 80 }),
  notText,
  huge,
);
const keyTooLong = fc.oneof(fc.constantFrom('k'.repeat(129), '赞'.repeat(43), '👍'.repeat(33)), fc.string({ minLength: 129, maxLength: 200 }));
const badKey = fc.oneof(fc.constant(''), keyTooLong, notText, huge);
const outOfRange = fc.oneof(fc.bigInt({ min: INT64_MAX + 1n, max: 10n ** 30n }), fc.bigInt({ min: -(10n ** 30n), max: INT64_MIN - 1n })).map(String);
const fraction = fc.tuple(fc.bigInt({ min: -1_000n, max: 1_000n }), fc.integer({ min: 0, max: 99_999 })).map(([whole, part]) => `${whole}.${part}`);
const notDigits = fc.constantFrom('', ' ', '1e3', '0x10', ' 1', '1 ', '+', '-', '--1', 'NaN', 'Infinity', '١٢', '1_000', '1,000');
const badValue = fc.oneof(outOfRange, fraction, notDigits, notText, huge);
const badDelta = fc.oneof(
  fc.constantFrom('0', '-0', '+0', '000'),
  fc.bigInt({ min: INT64_MIN, max: -1n }).map(String),
  outOfRange,
  fraction,
  notDigits,
  notText,
  huge,
);
const someCounters = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { minKeys: 0, maxKeys: 5 });
const badCounters = fc.oneof(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { minKeys: 21, maxKeys: 30 }),
  fc.constant({}),
  fc.tuple(someCounters, badKey.filter((bad): bad is string => typeof bad === 'string'), value).map(([map, bad, v]) => ({ ...map, [bad]: v })),
  fc.tuple(someCounters, key, badValue).map(([map, k, bad]) => ({ ...map, [k]: bad })),
  notAMap,
);
const badKeyList = fc.oneof(
  fc.constantFrom('likes', 1, null, { likes: true }),
  fc.tuple(fc.array(key, { maxLength: 3 }), badKey).map(([keys, bad]) => [...keys, bad]),
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 21, maxLength: 25 }),
);

const userSig = fc.constantFrom('eJwtzEELgjAYBuC-8p2L', 'eJyrVkrOTFGyUjAxNzMy*-_+/=');
const badSdkAppID = fc.constantFrom<unknown>('', '0', '-5', '1.5', 'abc', '99999999999', '14000 00001', 0, -1, 1.5, null, true, [1400000001]);
const badUserID = fc.oneof(fc.constantFrom('', '   ', 'a b', 'tab\there', 'x'.repeat(33), '赞'.repeat(11)), notText, huge);
const badUserSig = fc.oneof(fc.constantFrom('', ' ', 'has space', 'quote"', 'x'.repeat(4_097)), notText);
const badSecretKey = fc.oneof(fc.constantFrom('abc', 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)), notText.filter((v) => v !== undefined));
const notBoolean = fc.constantFrom<unknown>('yes', 'true', 1, 0, null, [], {});
const time = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) });
const badTime = fc.oneof(fc.constantFrom<unknown>(-1, 1.5, NaN, Infinity, -Infinity, 9e15, 2 ** 64, '1700000000000', null, []), notText.filter((v) => typeof v !== 'number'));
const badCount = (max: number) => fc.oneof(fc.constantFrom<unknown>(0, -1, max + 1, 1.5, NaN, Infinity, '10', null, 10n), notText.filter((v) => typeof v !== 'number'));
const badName = fc.oneof(fc.string({ minLength: 81, maxLength: 120 }), fc.constantFrom('\uD800', 'a\uDC00b'), notText.filter((v) => v !== undefined), huge);

// ---- payloads per method ------------------------------------------------------------------------

type ObjectMethod =
  | 'getCounters'
  | 'setCounters'
  | 'increaseCounter'
  | 'decreaseCounter'
  | 'connectTencent'
  | 'renewSignIn'
  | 'getHistory'
  | 'getRecentUpdates'
  | 'startBroadcast'
  | 'deleteHistory';
/** The calls that take no argument. */
const NO_ARGUMENT = new Set<ApiMethod>(['getSession', 'listGroups', 'getBudget', 'getConnection', 'useEmbedded', 'forgetAccount', 'getBroadcast', 'endBroadcast', 'getStorage', 'getPendingChanges']);
type Payload = Record<string, unknown>;

const deltaPayload = fc.record({ groupID, key, value: delta });
const VALID: Record<ObjectMethod, fc.Arbitrary<Payload>> = {
  getCounters: fc.record({ groupID, keyList: fc.array(key, { maxLength: 4 }) }, { requiredKeys: ['groupID'] }),
  setCounters: fc.record({ groupID, counters: fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }) }),
  increaseCounter: deltaPayload,
  decreaseCounter: deltaPayload,
  connectTencent: fc.record({ SDKAppID: fc.constantFrom('1400000001', '20000001'), userID: fc.constantFrom('host', 'mod_2'), userSig, remember: fc.boolean() }),
  renewSignIn: fc.record({ userSig }),
  getHistory: fc.record({ groupID, keys: fc.uniqueArray(key, { minLength: 1, maxLength: 4 }), from: time, to: time.map((at) => at + 60_000), maxPoints: fc.integer({ min: 1, max: 2_000 }) }),
  getRecentUpdates: fc.record({ limit: fc.integer({ min: 1, max: 500 }) }),
  startBroadcast: fc.record({ name: fc.string({ maxLength: 20 }) }),
  // A time long before any history: a valid deletion that changes nothing checked here.
  deleteHistory: fc.record({ before: fc.integer({ min: 0, max: 1_000 }) }),
};
const BAD_FIELDS: Record<ObjectMethod, Record<string, fc.Arbitrary<unknown>>> = {
  getCounters: { groupID: badGroupID, keyList: badKeyList },
  setCounters: { groupID: badGroupID, counters: badCounters },
  increaseCounter: { groupID: badGroupID, key: badKey, value: badDelta },
  decreaseCounter: { groupID: badGroupID, key: badKey, value: badDelta },
  // A secret key next to a valid UserSig is wrong too: only one credential may be given.
  connectTencent: { SDKAppID: badSdkAppID, userID: badUserID, userSig: badUserSig, remember: notBoolean, secretKey: fc.oneof(badSecretKey, fc.constant('a'.repeat(64))) },
  renewSignIn: { userSig: badUserSig, secretKey: fc.oneof(badSecretKey, fc.constant('b'.repeat(64))) },
  getHistory: { groupID: badGroupID, keys: fc.oneof(badKeyList, fc.constant([])), from: badTime, to: badTime, maxPoints: badCount(2_000) },
  getRecentUpdates: { limit: badCount(500) },
  startBroadcast: { name: badName },
  deleteHistory: { before: badTime },
};

/** The fields a request cannot do without. */
const REQUIRED: Record<ObjectMethod, string[]> = {
  getCounters: ['groupID'],
  setCounters: ['groupID', 'counters'],
  increaseCounter: ['groupID', 'key', 'value'],
  decreaseCounter: ['groupID', 'key', 'value'],
  connectTencent: ['SDKAppID', 'userID', 'userSig', 'remember'],
  renewSignIn: ['userSig'],
  getHistory: ['groupID', 'keys', 'from', 'to', 'maxPoints'],
  getRecentUpdates: ['limit'],
  startBroadcast: [],
  deleteHistory: ['before'],
};

/** A copy with one more own property, `__proto__` included (a plain spread would set the prototype). */
function withOwn(base: Payload, name: string, extra: unknown): Payload {
  const copy = { ...base };
  Object.defineProperty(copy, name, { value: extra, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A valid payload with exactly one thing wrong: a field's value or type, a field missing or extra, or its container. */
function mutated(method: ObjectMethod): fc.Arbitrary<unknown> {
  const fields = Object.keys(BAD_FIELDS[method]);
  const valid = VALID[method];
  const extraName = fc
    .oneof(fc.constantFrom('__proto__', 'constructor', 'groupId', 'GroupID', 'keys', 'keylist', 'delta', 'Value', 'extra'), fc.string({ minLength: 1 }))
    .filter((name) => !fields.includes(name));
  const missing =
    REQUIRED[method].length === 0
      ? []
      : [{ weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...REQUIRED[method])).map(([base, field]) => Object.fromEntries(Object.entries(base).filter(([name]) => name !== field))) }];
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(valid, fc.constantFrom(...fields)).chain(([base, field]) => BAD_FIELDS[method][field]!.map((bad) => ({ ...base, [field]: bad }))) },
    ...missing,
    { weight: 2, arbitrary: fc.tuple(valid, extraName, wild).map(([base, name, extra]) => withOwn(base, name, extra)) },
    { weight: 1, arbitrary: valid.chain((base) => fc.constantFrom<unknown>([base], JSON.stringify(base), Object.values(base), new Map(Object.entries(base)), base['groupID'])) },
  );
}

/** A payload that is valid for some call, to be sent to another. */
const otherCallPayload = fc.oneof(groupID, VALID.getCounters, VALID.setCounters, deltaPayload, fc.constantFrom(null, {}, 0, '', false));

/**
 * Invalid payloads for one call: near-valid ones that are wrong by construction (so a hole in the
 * validation shows as an accepted payload), and random values that `parseRequest` judges invalid.
 */
function payloadsFor(method: ApiMethod): fc.Arbitrary<unknown> {
  const wrongByConstruction =
    method === 'joinGroup'
      ? fc.oneof(badGroupID, fc.record({ groupID }), huge)
      : NO_ARGUMENT.has(method)
        ? fc.oneof(otherCallPayload, huge)
        : fc.oneof({ weight: 9, arbitrary: mutated(method as ObjectMethod) }, { weight: 1, arbitrary: huge });
  const randomInvalid = fc.oneof({ weight: 3, arbitrary: wild }, { weight: 1, arbitrary: otherCallPayload }).filter((payload) => !parseRequest(method, payload).ok);
  return fc.oneof({ weight: 6, arbitrary: wrongByConstruction }, { weight: 4, arbitrary: randomInvalid });
}

// ---- the service's state ------------------------------------------------------------------------

let fixture: CoreFixture;
let core: Core;

/** Everything an accepted call could change: groups and membership, counters, budgets, write calls sent. */
async function serviceState(): Promise<unknown> {
  const groups = await fixture.settle(core.api.listGroups());
  const budget = await core.api.getBudget();
  return {
    groups,
    counters: DEMO_GROUPS.map((id) => [id, [...fixture.service.counters(id)]]),
    budget: { writes: budget.write.used, reads: budget.read.used },
    writeCalls: core.writeJournal.recent().length,
    broadcast: await core.api.getBroadcast(),
  };
}

/** Dispatches and returns the result, or the reason it threw or rejected (which is itself a failure). */
async function dispatchSafely(method: unknown, payload: unknown): Promise<Result<unknown> | { threw: unknown }> {
  try {
    return await core.dispatch(method, payload);
  } catch (error) {
    return { threw: error };
  }
}

beforeAll(async () => {
  fixture = await createCoreFixture();
  core = await fixture.attach('operator');
});

afterAll(async () => fixture.close());

describe('core.dispatch under fuzzed payloads', () => {
  it.each(API_METHODS.map((method, index) => [method, index] as const))(
    '%s: answers 1,000+ invalid payloads with a coded failure and changes nothing',
    async (method, index) => {
      const before = await serviceState();
      let invalid = 0;
      await fc.assert(
        fc.asyncProperty(payloadsFor(method), async (payload) => {
          invalid += 1;
          const result = await dispatchSafely(method, payload);
          expect(result).not.toHaveProperty('threw');
          expect(result).toMatchObject({ ok: false, error: { code: expect.any(Number), message: expect.any(String) } });
          if (!('ok' in result) || result.ok) return;
          expect(CODES.has(result.error.code), `code ${result.error.code}`).toBe(true);
          expect(result.error.message.length).toBeGreaterThan(0);
          // The router answers with the contract's own verdict, unchanged.
          const expected = parseRequest(method, payload);
          expect(expected.ok).toBe(false);
          if (!expected.ok) expect(result.error).toEqual(expected.error);
          // The answer crosses the IPC boundary: it must survive structured cloning unchanged.
          expect(structuredClone(result)).toEqual(result);
        }),
        { seed: SEED + index, numRuns: RUNS },
      );
      expect(invalid).toBeGreaterThanOrEqual(MIN_INVALID);
      expect(await serviceState()).toEqual(before);
    },
  );

  it('the state comparison does see an accepted write', async () => {
    const before = await serviceState();
    await expect(fixture.settle(core.dispatch('setCounters', { groupID: 'mod-team', counters: { reports_open: '40' } }))).resolves.toMatchObject({ ok: true });
    expect(await serviceState()).not.toEqual(before);
  });
});

describe('core.dispatch with a name that is not a call', () => {
  const notAMethod = fc.oneof(
    fc.string().filter((name) => !isApiMethod(name)),
    fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'getsession', 'getSession ', 'GETBUDGET', 'onCounterBatch', 'onSession', 'onBudget', 'close', 'countdeck:call:getSession'),
    fc.anything({ maxDepth: 2, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }),
  );

  it('answers UNKNOWN_METHOD, whatever the payload (1,000 cases)', async () => {
    const before = await serviceState();
    await fc.assert(
      fc.asyncProperty(notAMethod, fc.oneof(wild, VALID.setCounters, deltaPayload), async (method, payload) => {
        const result = await dispatchSafely(method, payload);
        expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_METHOD, message: expect.stringMatching(/^There is no call named /) } });
      }),
      { seed: SEED - 1, numRuns: MIN_INVALID },
    );
    expect(await serviceState()).toEqual(before);
  });

  // A bigint is structured-cloneable, so it can arrive as a method name; naming it must not throw.
  it('answers UNKNOWN_METHOD for a bigint name instead of rejecting', async () => {
    expect(await dispatchSafely(10n, undefined)).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_METHOD } });
    expect(await dispatchSafely({ name: 1n }, undefined)).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_METHOD } });
  });
});
