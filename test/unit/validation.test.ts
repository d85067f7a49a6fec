import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { groupDigits, isExactAsNumber } from '../../shared/int64';
import { INT64_MAX, INT64_MIN } from '../../shared/limits';
import {
  checkCounterCapacity,
  utf8Length,
  validateCounterMap,
  validateDelta,
  validateGroupID,
  validateKey,
  validateKeyList,
  validateValue,
} from '../../shared/validation';

const codeOf = (result: { ok: boolean; error?: { code: number } }) => (result.ok ? 'ok' : result.error!.code);

describe('validateKey', () => {
  it('accepts 128 bytes and refuses 129 with a message naming bytes', () => {
    expect(validateKey('k'.repeat(128))).toEqual({ ok: true, value: 'k'.repeat(128) });
    const refused = validateKey('k'.repeat(129));
    expect(codeOf(refused)).toBe(ErrorCode.KEY_TOO_LONG);
    expect(refused.ok || refused.error.message).toMatch(/128 bytes.*129/);
  });

  it('counts UTF-8 bytes, not characters, for multi-byte keys', () => {
    const chinese42 = '赞'.repeat(42); // 126 bytes
    expect(utf8Length(chinese42)).toBe(126);
    expect(validateKey(chinese42).ok).toBe(true);
    expect(validateKey(`${chinese42}ab`).ok).toBe(true); // 128 bytes
    expect(codeOf(validateKey(`${chinese42}赞`))).toBe(ErrorCode.KEY_TOO_LONG); // 43 characters, 129 bytes
    expect(validateKey('👍'.repeat(32)).ok).toBe(true); // 4 bytes each: 128
    expect(codeOf(validateKey('👍'.repeat(33)))).toBe(ErrorCode.KEY_TOO_LONG);
  });

  it('refuses empty, missing and non-text keys', () => {
    expect(codeOf(validateKey(''))).toBe(ErrorCode.KEY_INVALID);
    expect(validateKey(undefined)).toMatchObject({ ok: false, error: { message: 'A counter key is missing.' } });
    expect(codeOf(validateKey(7))).toBe(ErrorCode.KEY_INVALID);
  });
});

describe('validateValue', () => {
  it('accepts the int64 bounds exactly and refuses one past them', () => {
    expect(validateValue(INT64_MIN.toString())).toEqual({ ok: true, value: INT64_MIN });
    expect(validateValue(INT64_MAX.toString())).toEqual({ ok: true, value: INT64_MAX });
    expect(codeOf(validateValue((INT64_MIN - 1n).toString()))).toBe(ErrorCode.VALUE_OUT_OF_RANGE);
    expect(codeOf(validateValue((INT64_MAX + 1n).toString()))).toBe(ErrorCode.VALUE_OUT_OF_RANGE);
  });

  it('refuses non-integers, numbers and text that is not digits', () => {
    for (const bad of ['1.5', '1e3', ' 1', '0x10', '', '--1', 'NaN', 'Infinity']) {
      expect(codeOf(validateValue(bad)), bad).toBe(ErrorCode.VALUE_INVALID);
    }
    expect(validateValue('2.5')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/whole number.*fraction/) } });
    expect(codeOf(validateValue(42))).toBe(ErrorCode.VALUE_INVALID);
    expect(codeOf(validateValue(42n))).toBe(ErrorCode.VALUE_INVALID);
    expect(codeOf(validateValue(undefined))).toBe(ErrorCode.VALUE_INVALID);
  });

  it('parses signs and leading zeros into exact bigints', () => {
    expect(validateValue('-0')).toEqual({ ok: true, value: 0n });
    expect(validateValue('+007')).toEqual({ ok: true, value: 7n });
    expect(validateValue('9007199254740993')).toEqual({ ok: true, value: 9007199254740993n });
  });

  it('refuses absurdly long digit strings without parsing them', () => {
    expect(codeOf(validateValue('1'.repeat(100_000)))).toBe(ErrorCode.VALUE_INVALID);
  });
});

describe('validateDelta', () => {
  it('accepts 1 … 2^63−1 and refuses zero, negatives, fractions and 2^63', () => {
    expect(validateDelta('1')).toEqual({ ok: true, value: 1n });
    expect(validateDelta(INT64_MAX.toString())).toEqual({ ok: true, value: INT64_MAX });
    for (const bad of ['0', '-1', '1.5', (INT64_MAX + 1n).toString(), 'abc', '']) {
      expect(codeOf(validateDelta(bad)), bad).toBe(ErrorCode.DELTA_INVALID);
    }
    expect(validateDelta('-3')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/at least 1.*direction/) } });
  });
});

describe('validateGroupID', () => {
  it('accepts printable ASCII up to 48 characters', () => {
    expect(validateGroupID('@TGS#_creators')).toEqual({ ok: true, value: '@TGS#_creators' });
    expect(validateGroupID('g'.repeat(48)).ok).toBe(true);
    expect(codeOf(validateGroupID('g'.repeat(49)))).toBe(ErrorCode.GROUP_ID_TOO_LONG);
  });

  it('refuses topics with the service rule, and empty or odd IDs', () => {
    expect(codeOf(validateGroupID('@TGS#_creators@TOPIC#_general'))).toBe(ErrorCode.TOPIC_NOT_SUPPORTED);
    expect(codeOf(validateGroupID(''))).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(codeOf(validateGroupID('  '))).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(codeOf(validateGroupID(' live'))).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(codeOf(validateGroupID('直播'))).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(codeOf(validateGroupID(12))).toBe(ErrorCode.INVALID_GROUP_ID);
  });
});

describe('validateCounterMap', () => {
  const map = (size: number) => Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, '0']));

  it('takes 1 to 20 counters and refuses 0 or 21', () => {
    expect(validateCounterMap({ key1: '0', key2: '0' })).toEqual({ ok: true, value: new Map([['key1', 0n], ['key2', 0n]]) });
    expect(validateCounterMap(map(20)).ok).toBe(true);
    expect(codeOf(validateCounterMap(map(21)))).toBe(ErrorCode.TOO_MANY_COUNTERS);
    expect(codeOf(validateCounterMap({}))).toBe(ErrorCode.COUNTERS_INVALID);
  });

  it('names the key whose value is wrong, and refuses non-maps', () => {
    expect(validateCounterMap({ likes: '1.5' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^likes: /) } });
    expect(codeOf(validateCounterMap({ ['x'.repeat(129)]: '1' }))).toBe(ErrorCode.KEY_TOO_LONG);
    for (const bad of [null, [], 'likes', 3, undefined]) expect(codeOf(validateCounterMap(bad))).toBe(ErrorCode.COUNTERS_INVALID);
  });
});

describe('validateKeyList and capacity', () => {
  it('treats an omitted or empty list as every key and removes duplicates', () => {
    expect(validateKeyList(undefined)).toEqual({ ok: true, value: undefined });
    expect(validateKeyList([])).toEqual({ ok: true, value: undefined });
    expect(validateKeyList(['a', 'a', 'b'])).toEqual({ ok: true, value: ['a', 'b'] });
    expect(codeOf(validateKeyList('a'))).toBe(ErrorCode.KEY_INVALID);
    expect(codeOf(validateKeyList(['a', '']))).toBe(ErrorCode.KEY_INVALID);
  });

  it('allows a 20th key and refuses a 21st', () => {
    const existing = Array.from({ length: 19 }, (_, i) => `k${i}`);
    expect(checkCounterCapacity(existing, ['k19']).ok).toBe(true);
    expect(checkCounterCapacity([...existing, 'k19'], ['k0']).ok).toBe(true);
    expect(codeOf(checkCounterCapacity([...existing, 'k19'], ['k20']))).toBe(ErrorCode.TOO_MANY_COUNTERS);
  });
});

describe('int64 helpers', () => {
  it('groups digits and knows what a JS number carries exactly', () => {
    expect(groupDigits(INT64_MIN)).toBe('-9,223,372,036,854,775,808');
    expect(groupDigits(999n)).toBe('999');
    expect(isExactAsNumber(2n ** 53n - 1n)).toBe(true);
    expect(isExactAsNumber(2n ** 53n)).toBe(false);
  });
});
