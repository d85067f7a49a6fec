import type { ReasonParams, ValidationReason } from './validation-reasons';

/**
 * Error codes Countdeck can meet or raise. Tencent's numbers where the service has one; Countdeck's
 * own codes live in the 9000 range, which Tencent Cloud Chat does not use.
 */
export const ErrorCode = {
  NETWORK_ERROR: 2800,
  /** SDK: request timed out; the server may or may not have applied it. */
  NETWORK_TIMEOUT: 2801,
  NO_NETWORK: 2805,
  /** SDK: more than 20 calls of one kind within 5 s. */
  OVER_FREQUENCY_LIMIT: 2996,
  /** SDK: not signed in, or not ready yet. */
  SDK_NOT_READY: 2999,
  /** SDK: a sign-in is under way. */
  LOGGING_IN: 3000,
  /** SDK: the account signed in on another device, or again elsewhere; or a UserSig expired; or an admin kick. */
  KICKED_OUT_MULT_DEVICE: 3002,
  KICKED_OUT_MULT_ACCOUNT: 3003,
  KICKED_OUT_USERSIG_EXPIRED: 3004,
  KICKED_OUT_REST_API: 3006,
  /** SDK: the feature is not in this edition (group counters need Ultimate). */
  NO_USE: 3122,
  INVALID_PARAMETER: 10004,
  /** The user is not a member of the group, or may not join it. */
  NO_PERMISSION: 10007,
  /** The group does not exist or was dismissed. */
  GROUP_NOT_FOUND: 10010,
  INVALID_GROUP_ID: 10015,
  SERVICE_OVERLOADED: 60022,
  USERSIG_EXPIRED: 70001,
  USERSIG_INVALID: 70003,
  USERSIG_WRONG_KEY: 70009,
  USERSIG_OTHER_USER: 70013,
  USERSIG_OTHER_APP: 70014,
  APP_KEY_MISSING: 70016,
  APP_NOT_FOUND: 70020,

  INVALID_REQUEST: 9000,
  KEY_INVALID: 9001,
  KEY_TOO_LONG: 9002,
  VALUE_INVALID: 9003,
  VALUE_OUT_OF_RANGE: 9004,
  DELTA_INVALID: 9005,
  TOO_MANY_COUNTERS: 9006,
  GROUP_ID_TOO_LONG: 9007,
  TOPIC_NOT_SUPPORTED: 9008,
  COUNTERS_INVALID: 9009,
  UNKNOWN_METHOD: 9010,
  RESULT_OUT_OF_RANGE: 9011,
  USER_ID_INVALID: 9012,
  VALUE_NOT_EXACT: 9013,
  CREDENTIALS_INVALID: 9014,
  OUTCOME_UNKNOWN: 9020,
  SIGN_IN_TIMEOUT: 9021,
  CANNOT_REACH: 9022,
  /** The database was damaged: it was moved aside and Countdeck started on a fresh one. */
  DATABASE_RECOVERED: 9030,
  STORAGE_FULL: 9031,
  STORAGE_READ_ONLY: 9032,
  STORAGE_FAILED: 9033,
  /** The database could not be opened, or moved aside: this run keeps its data in memory. */
  DATABASE_IN_MEMORY: 9034,
  /** The database was written by a newer Countdeck: left untouched, this run keeps its data in memory. */
  DATABASE_TOO_NEW: 9035,
  /** The state file of an earlier release was imported into the database. */
  STATE_FILE_IMPORTED: 9036,
  /** The state file of an earlier release could not be read; it was left where it is. */
  STATE_FILE_UNREADABLE: 9037,
  NO_BROADCAST: 9038,
  /** The background check found damage in the database: the next start moves it aside. */
  DATABASE_DAMAGED: 9039,
  CORE_CLOSED: 9040,
  CONNECTION_CLOSED: 9041,
  INTERNAL: 9099,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The serialisable shape of every error that crosses the IPC boundary. */
export interface ErrorInfo {
  code: number;
  /** What happened, in English (logs, and the fallback wherever no translation exists). */
  message: string;
  /** For validation errors: which rule was broken, to be said in the operator's language. */
  reason?: ValidationReason;
  params?: ReasonParams;
}

/** An error with a stable code, raised by the core and re-created by the renderer. */
export class CountdeckError extends Error implements ErrorInfo {
  readonly code: number;

  readonly reason: ValidationReason | undefined;
  readonly params: ReasonParams | undefined;

  constructor(code: number, message: string, detail: Pick<ErrorInfo, 'reason' | 'params'> = {}) {
    super(message);
    this.name = 'CountdeckError';
    this.code = code;
    this.reason = detail.reason;
    this.params = detail.params;
  }

  /** Re-creates the error from its plain form. */
  static from(info: ErrorInfo): CountdeckError {
    return new CountdeckError(info.code, info.message, info);
  }

  /** The plain form that survives structured cloning. */
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.reason !== undefined) info.reason = this.reason;
    if (this.params !== undefined) info.params = this.params;
    return info;
  }
}

/** Whether a value carries an error code and message, whatever its class. */
export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'number' &&
    typeof (value as ErrorInfo).message === 'string'
  );
}
