import { groupDigits, isExactAsNumber } from '../../../shared/int64';

/** An exact int64 (decimal text) with grouped digits, e.g. 9,223,372,036,854,775,807. */
export function formatValue(decimal: string): string {
  return groupDigits(BigInt(decimal));
}

/** The difference of two exact values, signed: +1,204 / −36 / 0. */
export function formatChange(from: string, to: string): string {
  const change = BigInt(to) - BigInt(from);
  if (change === 0n) return '0';
  return change > 0n ? `+${groupDigits(change)}` : `−${groupDigits(-change)}`;
}

/** Whether a value is past what a JS number (and so the chart) carries exactly. */
export function isInexactAsNumber(decimal: string): boolean {
  return !isExactAsNumber(BigInt(decimal));
}

/** Building a formatter costs far more than using one: one per language, and one per precision. */
const clockFormats = new Map<string, Intl.DateTimeFormat>();
const signedFormats = new Map<number, Intl.NumberFormat>();

/** Clock texts by language and second: the log and the table show the same few seconds many times over. */
const clockTexts = new Map<string, string>();
const CLOCK_TEXTS_KEPT = 256;

/** A wall-clock time with seconds, in the operator's language. */
export function formatClock(at: number, locale: string): string {
  const key = `${locale} ${Math.floor(at / 1_000)}`;
  const known = clockTexts.get(key);
  if (known !== undefined) return known;
  let format = clockFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
    clockFormats.set(locale, format);
  }
  const text = format.format(at);
  if (clockTexts.size >= CLOCK_TEXTS_KEPT) clockTexts.clear();
  clockTexts.set(key, text);
  return text;
}

/** A signed number for people: +1,204 / −36 / 0, with up to `digits` decimals. */
export function formatSigned(value: number, digits = 0): string {
  if (value === 0) return '0';
  let format = signedFormats.get(digits);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    signedFormats.set(digits, format);
  }
  const text = format.format(Math.abs(value));
  return value > 0 ? `+${text}` : `−${text}`;
}

/** A rate per minute: whole numbers when large, one decimal when small. */
export function formatRate(rate: number): string {
  return formatSigned(rate, Math.abs(rate) >= 100 ? 0 : 1);
}

const GROUPED = /^[+-]?\d{1,3}([,_ \u00a0\u202f]\d{3})+$/;

/** What the operator typed, with thousands separators (1,234,567 or 1 234 567) taken out; anything else as typed. */
export function normalizeNumberInput(text: string): string {
  const trimmed = text.trim();
  return GROUPED.test(trimmed) ? trimmed.replace(/[,_ \u00a0\u202f]/g, '') : trimmed;
}
