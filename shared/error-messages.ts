import { ErrorCode } from './errors';

/**
 * What each code Countdeck can meet means for the operator, and what to do about it. The SDK
 * downloads its own error texts at run time (and cannot, in the main process), so these are the
 * texts Countdeck shows; the renderer's English messages are these, other languages translate them.
 */
export const ERROR_MESSAGES = {
  [ErrorCode.NETWORK_ERROR]: 'The network is unreachable; Countdeck reconnects on its own.',
  [ErrorCode.NETWORK_TIMEOUT]: 'The service did not answer in time.',
  [ErrorCode.NO_NETWORK]: 'No network connection.',
  [ErrorCode.OVER_FREQUENCY_LIMIT]: 'Too many calls in 5 seconds; Countdeck retries on its own.',
  [ErrorCode.SDK_NOT_READY]: 'Not connected yet. Wait for the connection, then try again.',
  [ErrorCode.LOGGING_IN]: 'Still signing in. Wait a moment, then try again.',
  [ErrorCode.KICKED_OUT_MULT_DEVICE]: 'Signed out: this account signed in on another device.',
  [ErrorCode.KICKED_OUT_MULT_ACCOUNT]: 'Signed out: this account signed in again somewhere else.',
  [ErrorCode.KICKED_OUT_USERSIG_EXPIRED]: 'Signed out: the UserSig expired. Sign in again with a new one.',
  [ErrorCode.KICKED_OUT_REST_API]: "Signed out by the application's administrator.",
  [ErrorCode.NO_USE]: 'Group counters need the Ultimate edition of Tencent Cloud Chat: upgrade the application in the console.',
  [ErrorCode.INVALID_PARAMETER]: 'The service refused the request as invalid.',
  [ErrorCode.NO_PERMISSION]: 'You are not a member of this group, or it is invitation-only.',
  [ErrorCode.GROUP_NOT_FOUND]: 'No such group, or it was dismissed.',
  [ErrorCode.INVALID_GROUP_ID]: 'The service does not accept this group ID.',
  [ErrorCode.SERVICE_OVERLOADED]: 'Tencent Cloud is overloaded; try again in a few seconds.',
  [ErrorCode.USERSIG_EXPIRED]: 'The UserSig has expired: generate a new one and sign in again.',
  [ErrorCode.USERSIG_INVALID]: 'The UserSig is not valid: copy it again, whole, from where it was generated.',
  [ErrorCode.USERSIG_WRONG_KEY]: "The UserSig was not signed with this application's secret key.",
  [ErrorCode.USERSIG_OTHER_USER]: 'The UserSig was generated for a different UserID.',
  [ErrorCode.USERSIG_OTHER_APP]: 'The UserSig was generated for a different SDKAppID.',
  [ErrorCode.APP_KEY_MISSING]: 'This application has no secret key yet: create one in the Tencent Cloud Chat console.',
  [ErrorCode.APP_NOT_FOUND]: 'No application has this SDKAppID: check it in the Tencent Cloud Chat console.',
  [ErrorCode.TOO_MANY_COUNTERS]: 'A group holds at most 20 counters.',
  [ErrorCode.RESULT_OUT_OF_RANGE]: 'The result would leave the signed 64-bit range; nothing was changed.',
  [ErrorCode.VALUE_NOT_EXACT]: 'Tencent Cloud carries values as JavaScript numbers: beyond ±9,007,199,254,740,991 they would not arrive exactly, so Countdeck does not send them.',
  [ErrorCode.OUTCOME_UNKNOWN]: 'The link dropped before the change was confirmed and the counter moved since. Check it before trying again.',
  [ErrorCode.SIGN_IN_TIMEOUT]: 'The service did not answer the sign-in in time.',
  [ErrorCode.CANNOT_REACH]: 'Cannot reach Tencent Cloud: check the network connection (and any proxy), then sign in again.',
  [ErrorCode.DATABASE_RECOVERED]: "Countdeck's data file was damaged: it was moved aside and Countdeck started with a fresh one.",
  [ErrorCode.STORAGE_FULL]: "The disk that holds Countdeck's data is full; nothing was changed. Free some space, then try again.",
  [ErrorCode.STORAGE_READ_ONLY]: "Countdeck's data folder is read-only; nothing was changed. Make it writable, then try again.",
  [ErrorCode.STORAGE_FAILED]: "Countdeck could not write its data (a disk error); nothing was changed. Check the disk, then try again.",
  [ErrorCode.DATABASE_IN_MEMORY]: "Countdeck cannot use its data file: this run keeps everything in memory, and nothing of it is kept after Countdeck closes.",
  [ErrorCode.DATABASE_TOO_NEW]: "Countdeck's data was written by a newer version of Countdeck: it was left untouched, and this run keeps everything in memory. Update Countdeck to use it.",
  [ErrorCode.STATE_FILE_IMPORTED]: 'The counters saved by the earlier version of Countdeck were imported; its file was kept as a backup.',
  [ErrorCode.STATE_FILE_UNREADABLE]: 'The counters saved by the earlier version of Countdeck could not be read: the file was left where it is, and the embedded service started from the demo data.',
  [ErrorCode.NO_BROADCAST]: 'No broadcast is on: start one first.',
  [ErrorCode.DATABASE_DAMAGED]: "Countdeck found damage in its data file. Restart Countdeck: it then moves the file aside and starts with a fresh one.",
  [ErrorCode.CORE_CLOSED]: 'Countdeck is closing.',
  [ErrorCode.CONNECTION_CLOSED]: 'The connection was switched before this change was sent.',
} as const satisfies Partial<Record<number, string>>;

export type KnownErrorCode = keyof typeof ERROR_MESSAGES;

/** Countdeck's text for a code, if it has one. */
export function messageFor(code: number): string | undefined {
  return (ERROR_MESSAGES as Partial<Record<number, string>>)[code];
}
