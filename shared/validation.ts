import { ErrorCode } from './errors';
import { isExactAsNumber, isInt64, parseDecimal } from './int64';
import {
  INT64_MAX,
  INT64_MIN,
  MAX_BROADCAST_NAME_CHARS,
  MAX_COUNTERS_PER_GROUP,
  MAX_EXACT_NUMBER,
  MAX_GROUP_ID_BYTES,
  MAX_KEY_BYTES,
  TOPIC_ID_MARKER,
} from './limits';
import { fail, ok, type Result } from './result';
import type { ReasonParams, ValidationReason } from './validation-reasons';

const encoder = new TextEncoder();
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const FRACTION = /^[+-]?\d*\.\d+$/;

/** The number of bytes a string takes in UTF-8. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

function refuse(code: number, reason: ValidationReason, message: string, params?: ReasonParams): Result<never> {
  return fail(code, message, params === undefined ? { reason } : { reason, params });
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  const type = typeof input;
  if (type === 'string') return 'text';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The operator's input as a message quotes it: long input is cut, so errors stay short. */
function quote(input: string): string {
  return input.length > 40 ? `${input.slice(0, 40)}…` : input;
}

type Subject = 'groupId' | 'key' | 'value' | 'delta' | 'counters' | 'keyList' | 'broadcastName';

const SUBJECTS: Record<Subject, { code: number; noun: string; expected: string }> = {
  groupId: { code: ErrorCode.INVALID_GROUP_ID, noun: 'A group ID', expected: 'text' },
  key: { code: ErrorCode.KEY_INVALID, noun: 'A counter key', expected: 'text' },
  value: { code: ErrorCode.VALUE_INVALID, noun: 'A counter value', expected: 'decimal text such as "42"' },
  delta: { code: ErrorCode.DELTA_INVALID, noun: 'A change', expected: 'decimal text such as "5"' },
  counters: { code: ErrorCode.COUNTERS_INVALID, noun: 'Counters', expected: 'a key → value map' },
  keyList: { code: ErrorCode.KEY_INVALID, noun: 'A key list', expected: 'a list of keys' },
  broadcastName: { code: ErrorCode.INVALID_REQUEST, noun: "A broadcast's name", expected: 'text' },
};

/** Input of the wrong type, or input that is missing altogether. */
function wrongType(subject: Subject, input: unknown): Result<never> {
  const { code, noun, expected } = SUBJECTS[subject];
  if (input === undefined) return refuse(code, `${subject}.missing`, `${noun} is missing.`);
  return refuse(code, `${subject}.type`, `${noun} must be ${expected}, not ${describe(input)}.`);
}

/** Text that is not a plain whole number: empty, a fraction, or not digits at all. */
function notWholeNumber(subject: 'value' | 'delta', input: string): Result<never> {
  const { code, noun } = SUBJECTS[subject];
  if (input.trim() === '') return refuse(code, `${subject}.empty`, `${noun} cannot be empty.`);
  if (FRACTION.test(input.trim())) {
    return refuse(code, `${subject}.fraction`, `${noun} must be a whole number; "${quote(input)}" has a fraction.`, { input: quote(input) });
  }
  return refuse(code, `${subject}.notDigits`, `${noun} must be a whole number written in digits; "${quote(input)}" is not.`, { input: quote(input) });
}

/** Checks a group ID: printable ASCII of 1..48 bytes, and not a Community topic. */
export function validateGroupID(input: unknown): Result<string> {
  if (typeof input !== 'string') return wrongType('groupId', input);
  if (input.trim() === '') return refuse(ErrorCode.INVALID_GROUP_ID, 'groupId.empty', 'Enter a group ID.');
  if (input.includes(TOPIC_ID_MARKER)) {
    return refuse(
      ErrorCode.TOPIC_NOT_SUPPORTED,
      'groupId.topic',
      `"${quote(input)}" is a Community topic: group counters exist on every group type except topics.`,
      { groupID: quote(input) },
    );
  }
  if (!PRINTABLE_ASCII.test(input) || input !== input.trim()) {
    return refuse(
      ErrorCode.INVALID_GROUP_ID,
      'groupId.characters',
      'A group ID uses printable ASCII characters only, with no leading or trailing spaces.',
    );
  }
  if (input.length > MAX_GROUP_ID_BYTES) {
    return refuse(
      ErrorCode.GROUP_ID_TOO_LONG,
      'groupId.tooLong',
      `A group ID is at most ${MAX_GROUP_ID_BYTES} characters; this one has ${input.length}.`,
      { max: MAX_GROUP_ID_BYTES, length: input.length },
    );
  }
  return ok(input);
}

/** Checks a counter key: 1..128 bytes of UTF-8, and text that UTF-8 can carry (no lone surrogate). */
export function validateKey(input: unknown): Result<string> {
  if (typeof input !== 'string') return wrongType('key', input);
  if (input.length === 0) return refuse(ErrorCode.KEY_INVALID, 'key.empty', 'A counter key cannot be empty.');
  if (!input.isWellFormed()) {
    return refuse(ErrorCode.KEY_INVALID, 'key.malformed', 'A counter key holds a broken character (a lone UTF-16 surrogate) that UTF-8 cannot carry.');
  }
  // A UTF-16 unit takes at most 3 bytes of UTF-8: a short key needs no counting (keys are checked on every write).
  const bytes = input.length * 3 <= MAX_KEY_BYTES ? input.length : utf8Length(input);
  if (bytes > MAX_KEY_BYTES) {
    return refuse(
      ErrorCode.KEY_TOO_LONG,
      'key.tooLong',
      `A counter key is at most ${MAX_KEY_BYTES} bytes of UTF-8; this one has ${bytes} ` +
        '(letters and digits take 1 byte, most Chinese characters 3).',
      { max: MAX_KEY_BYTES, bytes },
    );
  }
  return ok(input);
}

/** Parses a counter value from decimal text into an exact signed 64-bit integer. */
export function validateValue(input: unknown): Result<bigint> {
  if (typeof input !== 'string') return wrongType('value', input);
  const value = parseDecimal(input);
  if (value === null) return notWholeNumber('value', input);
  if (!isInt64(value)) {
    return refuse(
      ErrorCode.VALUE_OUT_OF_RANGE,
      'value.range',
      `${input} is outside the signed 64-bit range ${INT64_MIN} … ${INT64_MAX}.`,
      { input, min: INT64_MIN.toString(), max: INT64_MAX.toString() },
    );
  }
  return ok(value);
}

/** Parses a change (delta) for increase or decrease: a whole number from 1 to 2^63−1. */
export function validateDelta(input: unknown): Result<bigint> {
  if (typeof input !== 'string') return wrongType('delta', input);
  const value = parseDecimal(input);
  if (value === null) return notWholeNumber('delta', input);
  if (value < 1n) {
    return refuse(
      ErrorCode.DELTA_INVALID,
      'delta.tooSmall',
      `A change is at least 1 (got ${quote(input)}); the direction comes from increase or decrease.`,
      { input: quote(input) },
    );
  }
  if (value > INT64_MAX) {
    return refuse(ErrorCode.DELTA_INVALID, 'delta.tooLarge', `A change is at most ${INT64_MAX}; ${input} is larger.`, {
      input,
      max: INT64_MAX.toString(),
    });
  }
  return ok(value);
}

/** Checks a key → value map for setting counters: 1..20 valid keys, each with a valid value. */
export function validateCounterMap(input: unknown): Result<Map<string, bigint>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return wrongType('counters', input);
  const entries = Object.entries(input);
  if (entries.length === 0) return refuse(ErrorCode.COUNTERS_INVALID, 'counters.empty', 'Give at least one counter to set.');
  if (entries.length > MAX_COUNTERS_PER_GROUP) {
    return refuse(
      ErrorCode.TOO_MANY_COUNTERS,
      'counters.tooMany',
      `A group holds at most ${MAX_COUNTERS_PER_GROUP} counters; this sets ${entries.length}.`,
      { max: MAX_COUNTERS_PER_GROUP, count: entries.length },
    );
  }
  const counters = new Map<string, bigint>();
  for (const [key, raw] of entries) {
    const checkedKey = validateKey(key);
    if (!checkedKey.ok) return checkedKey;
    const value = validateValue(raw);
    if (!value.ok) {
      const { code, message, reason, params } = value.error;
      return fail(code, `${key}: ${message}`, { reason, params: { ...params, key } });
    }
    counters.set(key, value.value);
  }
  return ok(counters);
}

/** Checks an optional list of keys to read; omitted or empty means every counter of the group. */
export function validateKeyList(input: unknown): Result<string[] | undefined> {
  if (input === undefined) return ok(undefined);
  if (!Array.isArray(input)) return wrongType('keyList', input);
  const keys = new Set<string>();
  for (const item of input) {
    const key = validateKey(item);
    if (!key.ok) return key;
    keys.add(key.value);
  }
  if (keys.size > MAX_COUNTERS_PER_GROUP) {
    return refuse(ErrorCode.KEY_INVALID, 'keyList.tooMany', `A group has at most ${MAX_COUNTERS_PER_GROUP} counters to read.`, {
      max: MAX_COUNTERS_PER_GROUP,
    });
  }
  return ok(keys.size === 0 ? undefined : [...keys]);
}

/** Checks that a value (or change) reaches a service that carries JS numbers exactly: within ±(2^53−1). */
export function checkExact(value: bigint): Result<bigint> {
  if (isExactAsNumber(value)) return ok(value);
  return refuse(
    ErrorCode.VALUE_NOT_EXACT,
    'value.notExact',
    `${value} cannot be sent exactly: Tencent Cloud carries values as JavaScript numbers, exact only within ±${MAX_EXACT_NUMBER}.`,
    { max: MAX_EXACT_NUMBER.toString() },
  );
}

/** Checks that adding `newKeys` to a group that holds `existingKeys` keeps it within 20 counters. */
export function checkCounterCapacity(existingKeys: Iterable<string>, newKeys: Iterable<string>): Result<true> {
  const all = new Set(existingKeys);
  for (const key of newKeys) all.add(key);
  if (all.size > MAX_COUNTERS_PER_GROUP) {
    return refuse(
      ErrorCode.TOO_MANY_COUNTERS,
      'counters.capacity',
      `A group holds at most ${MAX_COUNTERS_PER_GROUP} counters; this would make ${all.size}.`,
      { max: MAX_COUNTERS_PER_GROUP, count: all.size },
    );
  }
  return ok(true);
}

/** Checks the name of a broadcast: optional text of at most 80 characters, kept without spaces at either end. */
export function validateBroadcastName(input: unknown): Result<string> {
  if (input === undefined) return ok('');
  if (typeof input !== 'string') return wrongType('broadcastName', input);
  const name = input.trim();
  if (!name.isWellFormed()) {
    return refuse(ErrorCode.INVALID_REQUEST, 'broadcastName.malformed', "A broadcast's name holds a broken character (a lone UTF-16 surrogate).");
  }
  if ([...name].length > MAX_BROADCAST_NAME_CHARS) {
    return refuse(
      ErrorCode.INVALID_REQUEST,
      'broadcastName.tooLong',
      `A broadcast's name is at most ${MAX_BROADCAST_NAME_CHARS} characters; this one has ${[...name].length}.`,
      { max: MAX_BROADCAST_NAME_CHARS, length: [...name].length },
    );
  }
  return ok(name);
}
