import { ErrorCode } from './errors';
import { isInt64, parseDecimal } from './int64';
import {
  INT64_MAX,
  INT64_MIN,
  MAX_COUNTERS_PER_GROUP,
  MAX_GROUP_ID_BYTES,
  MAX_KEY_BYTES,
  TOPIC_ID_MARKER,
} from './limits';
import { fail, ok, type Result } from './result';

const encoder = new TextEncoder();
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** The number of bytes a string takes in UTF-8. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'string' ? 'text' : `a ${typeof input}`;
}

/** The message for input of the wrong type, or for input that is missing altogether. */
function wrongType(code: number, subject: string, expected: string, input: unknown): Result<never> {
  if (input === undefined) return fail(code, `${subject} is missing.`);
  return fail(code, `${subject} must be ${expected}, not ${describe(input)}.`);
}

/** Checks a group ID: printable ASCII of 1..48 bytes, and not a Community topic. */
export function validateGroupID(input: unknown): Result<string> {
  if (typeof input !== 'string') {
    return wrongType(ErrorCode.INVALID_GROUP_ID, 'A group ID', 'text', input);
  }
  if (input.trim() === '') return fail(ErrorCode.INVALID_GROUP_ID, 'Enter a group ID.');
  if (input.includes(TOPIC_ID_MARKER)) {
    return fail(
      ErrorCode.TOPIC_NOT_SUPPORTED,
      `"${input}" is a Community topic: group counters exist on every group type except topics.`,
    );
  }
  if (!PRINTABLE_ASCII.test(input) || input !== input.trim()) {
    return fail(
      ErrorCode.INVALID_GROUP_ID,
      'A group ID uses printable ASCII characters only, with no leading or trailing spaces.',
    );
  }
  if (input.length > MAX_GROUP_ID_BYTES) {
    return fail(
      ErrorCode.GROUP_ID_TOO_LONG,
      `A group ID is at most ${MAX_GROUP_ID_BYTES} characters; this one has ${input.length}.`,
    );
  }
  return ok(input);
}

/** Checks a counter key: 1..128 bytes of UTF-8. */
export function validateKey(input: unknown): Result<string> {
  if (typeof input !== 'string') {
    return wrongType(ErrorCode.KEY_INVALID, 'A counter key', 'text', input);
  }
  if (input.length === 0) return fail(ErrorCode.KEY_INVALID, 'A counter key cannot be empty.');
  const bytes = utf8Length(input);
  if (bytes > MAX_KEY_BYTES) {
    return fail(
      ErrorCode.KEY_TOO_LONG,
      `A counter key is at most ${MAX_KEY_BYTES} bytes of UTF-8; this one has ${bytes} ` +
        '(letters and digits take 1 byte, most Chinese characters 3).',
    );
  }
  return ok(input);
}

/** Parses a counter value from decimal text into an exact signed 64-bit integer. */
export function validateValue(input: unknown): Result<bigint> {
  if (typeof input !== 'string') {
    return wrongType(ErrorCode.VALUE_INVALID, 'A counter value', 'decimal text such as "42"', input);
  }
  const value = parseDecimal(input);
  if (value === null) return fail(ErrorCode.VALUE_INVALID, notAWholeNumber(input, 'A counter value'));
  if (!isInt64(value)) {
    return fail(
      ErrorCode.VALUE_OUT_OF_RANGE,
      `${input} is outside the signed 64-bit range ${INT64_MIN} … ${INT64_MAX}.`,
    );
  }
  return ok(value);
}

/** Parses a change (delta) for increase or decrease: a whole number from 1 to 2^63−1. */
export function validateDelta(input: unknown): Result<bigint> {
  if (typeof input !== 'string') {
    return wrongType(ErrorCode.DELTA_INVALID, 'A change', 'decimal text such as "5"', input);
  }
  const value = parseDecimal(input);
  if (value === null) return fail(ErrorCode.DELTA_INVALID, notAWholeNumber(input, 'A change'));
  if (value < 1n) {
    return fail(
      ErrorCode.DELTA_INVALID,
      `A change is at least 1 (got ${input}); the direction comes from increase or decrease.`,
    );
  }
  if (value > INT64_MAX) {
    return fail(ErrorCode.DELTA_INVALID, `A change is at most ${INT64_MAX}; ${input} is larger.`);
  }
  return ok(value);
}

function notAWholeNumber(input: string, subject: string): string {
  if (input.trim() === '') return `${subject} cannot be empty.`;
  if (/^[+-]?\d*\.\d+$/.test(input.trim())) return `${subject} must be a whole number; "${input}" has a fraction.`;
  return `${subject} must be a whole number written in digits; "${input}" is not.`;
}

/** Checks a key → value map for setting counters: 1..20 valid keys, each with a valid value. */
export function validateCounterMap(input: unknown): Result<Map<string, bigint>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return wrongType(ErrorCode.COUNTERS_INVALID, 'Counters', 'a key → value map', input);
  }
  const entries = Object.entries(input);
  if (entries.length === 0) return fail(ErrorCode.COUNTERS_INVALID, 'Give at least one counter to set.');
  if (entries.length > MAX_COUNTERS_PER_GROUP) {
    return fail(
      ErrorCode.TOO_MANY_COUNTERS,
      `A group holds at most ${MAX_COUNTERS_PER_GROUP} counters; this sets ${entries.length}.`,
    );
  }
  const counters = new Map<string, bigint>();
  for (const [key, raw] of entries) {
    const checkedKey = validateKey(key);
    if (!checkedKey.ok) return checkedKey;
    const value = validateValue(raw);
    if (!value.ok) return fail(value.error.code, `${key}: ${value.error.message}`);
    counters.set(key, value.value);
  }
  return ok(counters);
}

/** Checks an optional list of keys to read; omitted or empty means every counter of the group. */
export function validateKeyList(input: unknown): Result<string[] | undefined> {
  if (input === undefined) return ok(undefined);
  if (!Array.isArray(input)) return wrongType(ErrorCode.KEY_INVALID, 'A key list', 'a list of keys', input);
  const keys = new Set<string>();
  for (const item of input) {
    const key = validateKey(item);
    if (!key.ok) return key;
    keys.add(key.value);
  }
  if (keys.size > MAX_COUNTERS_PER_GROUP) {
    return fail(ErrorCode.KEY_INVALID, `A group has at most ${MAX_COUNTERS_PER_GROUP} counters to read.`);
  }
  return ok(keys.size === 0 ? undefined : [...keys]);
}

/** Checks that adding `newKeys` to a group that holds `existingKeys` keeps it within 20 counters. */
export function checkCounterCapacity(existingKeys: Iterable<string>, newKeys: Iterable<string>): Result<true> {
  const all = new Set(existingKeys);
  for (const key of newKeys) all.add(key);
  if (all.size > MAX_COUNTERS_PER_GROUP) {
    return fail(
      ErrorCode.TOO_MANY_COUNTERS,
      `A group holds at most ${MAX_COUNTERS_PER_GROUP} counters; this would make ${all.size}.`,
    );
  }
  return ok(true);
}
