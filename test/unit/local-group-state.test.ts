import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitWrite, planWrite, type GroupRecord } from '../../electron/core/chat/local/group-state';
import { ErrorCode } from '../../shared/errors';
import { isInt64 } from '../../shared/int64';
import { INT64_MAX, INT64_MIN } from '../../shared/limits';
import { utf8Length } from '../../shared/validation';

function group(counters: Record<string, bigint> = {}): GroupRecord {
  const entries = Object.entries(counters);
  return { groupID: 'g', name: 'G', type: 'Public', members: new Set(), counters: new Map(entries), seq: 0 };
}

const int64 = fc.bigInt({ min: INT64_MIN, max: INT64_MAX });

describe('group-state rules', () => {
  it('increase and decrease give the exact sum or difference, or refuse without touching the group', () => {
    fc.assert(
      fc.property(int64, int64, fc.constantFrom('increase', 'decrease' as const), (start, delta, kind) => {
        const target = group({ key: start });
        const planned = planWrite(target, { kind, key: 'key', value: delta });
        const expected = kind === 'increase' ? start + delta : start - delta;
        expect(target.counters.get('key')).toBe(start);
        if (isInt64(expected)) expect(planned).toEqual({ ok: true, value: new Map([['key', expected]]) });
        else expect(planned).toMatchObject({ ok: false, error: { code: ErrorCode.RESULT_OUT_OF_RANGE } });
      }),
    );
  });

  it('accepts a set exactly when every key is 1..128 UTF-8 bytes and the group stays within 20 keys', () => {
    const key = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 60 });
    fc.assert(
      fc.property(fc.dictionary(key, int64, { maxKeys: 25 }), fc.integer({ min: 0, max: 20 }), (counters, existing) => {
        const target = group(Object.fromEntries(Array.from({ length: existing }, (_, i) => [`e${i}`, 0n])));
        const write = new Map(Object.entries(counters));
        const keysFit = [...write.keys()].every((k) => k.length > 0 && utf8Length(k) <= 128);
        const total = new Set([...target.counters.keys(), ...write.keys()]).size;
        const accepted = write.size > 0 && keysFit && total <= 20;
        expect(planWrite(target, { kind: 'set', counters: write }).ok).toBe(accepted);
        expect(target.counters.size).toBe(existing);
      }),
    );
  });

  it('commits planned values and bumps the sequence by one', () => {
    const target = group({ a: 1n });
    expect(commitWrite(target, new Map([['a', 2n], ['b', 3n]]))).toBe(1);
    expect(target.counters).toEqual(new Map([['a', 2n], ['b', 3n]]));
  });
});
