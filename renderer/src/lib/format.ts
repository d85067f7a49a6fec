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

/** Date and time formats by language and shape, built once each. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, shape: 'minute' | 'dayMinute' | 'full'): Intl.DateTimeFormat {
  const id = `${locale} ${shape}`;
  let format = dateFormats.get(id);
  if (format === undefined) {
    const options: Intl.DateTimeFormatOptions =
      shape === 'full'
        ? { dateStyle: 'medium', timeStyle: 'short' }
        : { ...(shape === 'dayMinute' && { month: 'numeric', day: 'numeric' }), hour: '2-digit', minute: '2-digit', hour12: false };
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(id, format);
  }
  return format;
}

/** A time on a chart spanning `spanMs`: with seconds over an hour or less, minutes over a day or so, else with the date. */
export function formatChartTime(at: number, spanMs: number, locale: string): string {
  if (spanMs <= 3_600_000) return formatClock(at, locale);
  return dateFormat(locale, spanMs <= 36 * 3_600_000 ? 'minute' : 'dayMinute').format(at);
}

/** A date with its time, for people: "May 1, 2025, 12:00 PM" / "2025年5月1日 12:00". */
export function formatDateTime(at: number, locale: string): string {
  return dateFormat(locale, 'full').format(at);
}

/** When something began: the time alone on the same day as `now`, else with the date. */
export function formatSince(at: number, now: number, locale: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return dateFormat(locale, sameDay ? 'minute' : 'dayMinute').format(at);
}

const UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
] as const;

/** A span of time in the largest unit that divides it: "10 seconds", "2 days", "5分钟". */
export function formatDuration(ms: number, locale: string): string {
  const [unit, size] = UNITS.find(([, size]) => ms >= size && ms % size === 0) ?? UNITS.find(([, size]) => ms >= size) ?? UNITS[3];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 1 }).format(ms / size);
}

/** A size on disk, in decimal units: "512 bytes", "3.4 MB". */
export function formatBytes(bytes: number, locale: string): string {
  if (bytes < 1_000) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
  const [unit, size] = bytes < 1e6 ? (['kilobyte', 1e3] as const) : bytes < 1e9 ? (['megabyte', 1e6] as const) : (['gigabyte', 1e9] as const);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
}
