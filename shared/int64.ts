import { INT64_MAX, INT64_MIN, MAX_EXACT_NUMBER } from './limits';

/** Longest decimal text worth handing to BigInt: 19 digits, a sign, and room for leading zeros. */
const MAX_DECIMAL_LENGTH = 40;
const DECIMAL = /^[+-]?\d+$/;

/** Whether a bigint fits a signed 64-bit integer. */
export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** Whether a JS number can carry this value exactly. */
export function isExactAsNumber(value: bigint): boolean {
  return value >= -MAX_EXACT_NUMBER && value <= MAX_EXACT_NUMBER;
}

/** Parses plain decimal digits with an optional sign; anything else (spaces, dots, exponents) is null. */
export function parseDecimal(text: string): bigint | null {
  if (text.length > MAX_DECIMAL_LENGTH || !DECIMAL.test(text)) return null;
  return BigInt(text);
}

/** Formats a value with grouped digits for people, e.g. -1,234,567. */
export function groupDigits(value: bigint, separator = ','): string {
  const digits = (value < 0n ? -value : value).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return value < 0n ? `-${grouped}` : grouped;
}
