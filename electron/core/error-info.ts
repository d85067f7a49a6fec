import { CountdeckError, ErrorCode, isErrorInfo, type ErrorInfo } from '../../shared/errors';

/** Turns whatever a call threw into a code and a message fit for the operator. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isErrorInfo(error)) {
    const { code, message, reason, params } = error;
    return { code, message: message || `Error ${code}.`, ...(reason && { reason }), ...(params && { params }) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.INTERNAL, message: `Unexpected error: ${message}` };
}

/** The same, as a throwable CountdeckError. */
export function toCountdeckError(error: unknown): CountdeckError {
  if (error instanceof CountdeckError) return error;
  return CountdeckError.from(toErrorInfo(error));
}
