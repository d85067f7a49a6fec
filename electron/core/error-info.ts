import { CountdeckError, ErrorCode, isErrorInfo, type ErrorInfo } from '../../shared/errors';

/** Turns whatever a call threw into a code and a message fit for the operator. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isErrorInfo(error)) return { code: error.code, message: error.message || `Error ${error.code}.` };
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.INTERNAL, message: `Unexpected error: ${message}` };
}

/** The same, as a throwable CountdeckError. */
export function toCountdeckError(error: unknown): CountdeckError {
  if (error instanceof CountdeckError) return error;
  const info = toErrorInfo(error);
  return new CountdeckError(info.code, info.message);
}
