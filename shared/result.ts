import type { ErrorInfo } from './errors';

/** The outcome of a check: the parsed value, or a coded error saying what is wrong. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed result with its code and message, and for validation errors the rule broken. */
export function fail<T = never>(code: number, message: string, detail?: Pick<ErrorInfo, 'reason' | 'params'>): Result<T> {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, ...detail } };
}
