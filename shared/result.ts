import type { ErrorInfo } from './errors';

/** The outcome of a check: the parsed value, or a coded error saying what is wrong. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed result with its code and message. */
export function fail<T = never>(code: number, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
