import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { API_METHODS, type ApiMethod } from '../../shared/ipc-contract';
import { INT64_MAX, INT64_MIN } from '../../shared/limits';
import { parseRequest, requestSchemas } from '../../shared/request-schemas';
import type { Result } from '../../shared/result';
import { validateCounterMap, validateDelta, validateGroupID, validateKey, validateKeyList } from '../../shared/validation';

const NO_ARGUMENT_METHODS = ['getSession', 'listGroups', 'getBudget'] as const satisfies readonly ApiMethod[];
const DELTA_METHODS = ['increaseCounter', 'decreaseCounter'] as const satisfies readonly ApiMethod[];
const TOPIC = '@TGS#_creators@TOPIC#_general';
const KEY_129 = 'k'.repeat(129);

/** The code and message of a failed result (what this suite judges); throws when the result is ok. */
function errorOf(result: Result<unknown>): { code: number; message: string } {
  if (result.ok) throw new Error(`expected a failure, got ${String(result.value)}`);
  return { code: result.error.code, message: result.error.message };
}

const counters = (size: number) => Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, String(i)]));

describe('requestSchemas', () => {
  it('has exactly one schema per method of the contract', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...API_METHODS].sort());
  });
});

describe.each(NO_ARGUMENT_METHODS)('%s (takes no argument)', (method) => {
  it('accepts a call without an argument', () => {
    expect(parseRequest(method, undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each([null, {}, [], 0, '', false, 'fan-club', { groupID: 'fan-club' }])('refuses the argument %j with INVALID_REQUEST', (payload) => {
    expect(errorOf(parseRequest(method, payload))).toEqual({ code: ErrorCode.INVALID_REQUEST, message: `${method} takes no argument.` });
  });
});

describe('joinGroup', () => {
  it('accepts a group ID and yields it unchanged', () => {
    expect(parseRequest('joinGroup', 'live-karaoke')).toEqual({ ok: true, value: 'live-karaoke' });
    expect(parseRequest('joinGroup', '@TGS#_creators')).toEqual({ ok: true, value: '@TGS#_creators' });
  });

  it.each([
    ['a topic', TOPIC, ErrorCode.TOPIC_NOT_SUPPORTED],
    ['49 characters', 'g'.repeat(49), ErrorCode.GROUP_ID_TOO_LONG],
    ['an empty ID', '', ErrorCode.INVALID_GROUP_ID],
    ['a padded ID', ' fan-club', ErrorCode.INVALID_GROUP_ID],
    ['a number', 42, ErrorCode.INVALID_GROUP_ID],
    ['no argument', undefined, ErrorCode.INVALID_GROUP_ID],
    ['a request object', { groupID: 'fan-club' }, ErrorCode.INVALID_GROUP_ID],
  ])("refuses %s with the group-ID validator's own code and message", (_, payload, code) => {
    const error = errorOf(parseRequest('joinGroup', payload));
    expect(error.code).toBe(code);
    expect(error).toEqual(errorOf(validateGroupID(payload)));
  });
});

describe('getCounters', () => {
  it('accepts a group alone; an absent or empty keyList becomes undefined (every counter)', () => {
    expect(parseRequest('getCounters', { groupID: 'fan-club' })).toEqual({ ok: true, value: { groupID: 'fan-club' } });
    for (const keyList of [undefined, []]) {
      const parsed = parseRequest('getCounters', { groupID: 'fan-club', keyList });
      expect(parsed.ok).toBe(true);
      expect(parsed.ok && parsed.value.keyList).toBeUndefined();
    }
  });

  it('keeps a key list, without duplicates', () => {
    expect(parseRequest('getCounters', { groupID: 'fan-club', keyList: ['badges', 'badges', 'x'] })).toEqual({
      ok: true,
      value: { groupID: 'fan-club', keyList: ['badges', 'x'] },
    });
  });

  it.each([null, 'fan-club', 7, [], ['fan-club']])('refuses the non-object %j with INVALID_REQUEST naming the method', (payload) => {
    const error = errorOf(parseRequest('getCounters', payload));
    expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(error.message).toMatch(/^getCounters: .*expected a plain object/);
  });

  it('names an unknown field (a near-miss spelling too)', () => {
    expect(errorOf(parseRequest('getCounters', { groupID: 'fan-club', keys: ['a'] }))).toEqual({
      code: ErrorCode.INVALID_REQUEST,
      message: 'getCounters does not take "keys".',
    });
    expect(errorOf(parseRequest('getCounters', { groupId: 'fan-club', groupID: 'fan-club' })).message).toBe('getCounters does not take "groupId".');
  });

  it("keeps the field validators' codes and messages", () => {
    const tooLong = errorOf(parseRequest('getCounters', { groupID: 'fan-club', keyList: ['ok', KEY_129] }));
    expect(tooLong).toEqual(errorOf(validateKey(KEY_129)));
    expect(tooLong.code).toBe(ErrorCode.KEY_TOO_LONG);
    const tooMany = Array.from({ length: 21 }, (_, i) => `k${i}`);
    expect(errorOf(parseRequest('getCounters', { groupID: 'fan-club', keyList: tooMany }))).toEqual(errorOf(validateKeyList(tooMany)));
    expect(errorOf(parseRequest('getCounters', { groupID: 'fan-club', keyList: 'likes' })).code).toBe(ErrorCode.KEY_INVALID);
    expect(errorOf(parseRequest('getCounters', { groupID: TOPIC })).code).toBe(ErrorCode.TOPIC_NOT_SUPPORTED);
    expect(errorOf(parseRequest('getCounters', {}))).toEqual({ code: ErrorCode.INVALID_GROUP_ID, message: 'A group ID is missing.' });
  });
});

describe('setCounters', () => {
  it('parses decimal values into exact bigints, at both int64 bounds', () => {
    const parsed = parseRequest('setCounters', {
      groupID: 'fan-club',
      counters: { top: INT64_MAX.toString(), bottom: INT64_MIN.toString(), odd: '9007199254740993' },
    });
    expect(parsed).toEqual({
      ok: true,
      value: { groupID: 'fan-club', counters: new Map([['top', INT64_MAX], ['bottom', INT64_MIN], ['odd', 9_007_199_254_740_993n]]) },
    });
  });

  it('takes 20 counters and refuses 21 with TOO_MANY_COUNTERS', () => {
    expect(parseRequest('setCounters', { groupID: 'fan-club', counters: counters(20) }).ok).toBe(true);
    const error = errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: counters(21) }));
    expect(error).toEqual(errorOf(validateCounterMap(counters(21))));
    expect(error.code).toBe(ErrorCode.TOO_MANY_COUNTERS);
  });

  it('refuses an out-of-range value with VALUE_OUT_OF_RANGE', () => {
    const error = errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { likes: (INT64_MAX + 1n).toString() } }));
    expect(error.code).toBe(ErrorCode.VALUE_OUT_OF_RANGE);
    expect(error.message).toMatch(/9223372036854775808 is outside the signed 64-bit range/);
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { likes: (INT64_MIN - 1n).toString() } })).code).toBe(
      ErrorCode.VALUE_OUT_OF_RANGE,
    );
  });

  it('refuses a fractional or numeric value with VALUE_INVALID and a 129-byte key with KEY_TOO_LONG', () => {
    const fraction = errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { likes: '1.5' } }));
    expect(fraction.code).toBe(ErrorCode.VALUE_INVALID);
    expect(fraction.message).toMatch(/whole number; "1\.5" has a fraction/);
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { likes: 3 } })).code).toBe(ErrorCode.VALUE_INVALID);
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { [KEY_129]: '1' } }))).toEqual(errorOf(validateKey(KEY_129)));
  });

  it('names the key whose value is wrong', () => {
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { likes: '1.5' } }))).toEqual({
      code: ErrorCode.VALUE_INVALID,
      message: 'likes: A counter value must be a whole number; "1.5" has a fraction.',
    });
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { ok: '1', likes: (INT64_MAX + 1n).toString() } })).message).toMatch(
      /^likes: 9223372036854775808 is outside the signed 64-bit range/,
    );
  });

  it('refuses missing or empty counters with COUNTERS_INVALID, and an unknown field with INVALID_REQUEST', () => {
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club' })).code).toBe(ErrorCode.COUNTERS_INVALID);
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: {} })).code).toBe(ErrorCode.COUNTERS_INVALID);
    expect(errorOf(parseRequest('setCounters', { groupID: 'fan-club', counters: { a: '1' }, force: true, why: 1 }))).toEqual({
      code: ErrorCode.INVALID_REQUEST,
      message: 'setCounters does not take "force", "why".',
    });
  });

  it('refuses an own "__proto__" field as an unknown field', () => {
    const payload: unknown = JSON.parse('{"groupID":"fan-club","counters":{"a":"1"},"__proto__":{"admin":true}}');
    expect(errorOf(parseRequest('setCounters', payload))).toEqual({ code: ErrorCode.INVALID_REQUEST, message: 'setCounters does not take "__proto__".' });
  });
});

describe.each(DELTA_METHODS)('%s', (method) => {
  it('parses the delta into a bigint from 1 to 2^63−1', () => {
    expect(parseRequest(method, { groupID: 'fan-club', key: 'likes', value: '5' })).toEqual({
      ok: true,
      value: { groupID: 'fan-club', key: 'likes', value: 5n },
    });
    expect(parseRequest(method, { groupID: 'fan-club', key: 'likes', value: INT64_MAX.toString() })).toMatchObject({ ok: true, value: { value: INT64_MAX } });
  });

  it.each(['0', '-1', '-0', '1.5', (INT64_MAX + 1n).toString(), '', '1e3'])('refuses the delta %j with DELTA_INVALID and its own message', (value) => {
    const error = errorOf(parseRequest(method, { groupID: 'fan-club', key: 'likes', value }));
    expect(error.code).toBe(ErrorCode.DELTA_INVALID);
    expect(error).toEqual(errorOf(validateDelta(value)));
  });

  it('refuses a numeric delta, a 129-byte key and a topic with their own codes', () => {
    expect(errorOf(parseRequest(method, { groupID: 'fan-club', key: 'likes', value: 5 }))).toEqual({
      code: ErrorCode.DELTA_INVALID,
      message: 'A change must be decimal text such as "5", not a number.',
    });
    expect(errorOf(parseRequest(method, { groupID: 'fan-club', key: KEY_129, value: '1' })).code).toBe(ErrorCode.KEY_TOO_LONG);
    expect(errorOf(parseRequest(method, { groupID: TOPIC, key: 'likes', value: '1' }))).toEqual(errorOf(validateGroupID(TOPIC)));
  });

  it('names an unknown field and refuses a non-object', () => {
    expect(errorOf(parseRequest(method, { groupID: 'fan-club', key: 'likes', value: '1', delta: '1' }))).toEqual({
      code: ErrorCode.INVALID_REQUEST,
      message: `${method} does not take "delta".`,
    });
    const error = errorOf(parseRequest(method, 'likes+1'));
    expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(error.message).toMatch(new RegExp(`^${method}: .*expected a plain object`));
  });
});

describe('wrong-type messages', () => {
  it('use the right article for an object', () => {
    expect(errorOf(parseRequest('joinGroup', { groupID: 'fan-club' })).message).toBe('A group ID must be text, not an object.');
  });
});
