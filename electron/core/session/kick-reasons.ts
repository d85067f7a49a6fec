import { ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { KickedOutType } from '../chat/chat-like';

const KICK_REASONS: Record<KickedOutType, ErrorInfo> = {
  multipleAccount: {
    code: ErrorCode.KICKED_OUT_MULT_ACCOUNT,
    message: 'Signed out: this account signed in again somewhere else. Sign in to take over.',
  },
  multipleDevice: {
    code: ErrorCode.KICKED_OUT_MULT_DEVICE,
    message: 'Signed out: this account signed in on another device. Sign in to take over.',
  },
  userSigExpired: {
    code: ErrorCode.KICKED_OUT_USERSIG_EXPIRED,
    message: 'Signed out: the UserSig expired. Sign in again with a new UserSig; queued changes are kept.',
  },
  REST_API_Kick: {
    code: ErrorCode.KICKED_OUT_REST_API,
    message: "Signed out by the application's administrator (REST API).",
  },
};

/** What to tell the operator when the service signs this session out. */
export function kickReason(type: KickedOutType): ErrorInfo {
  return KICK_REASONS[type] ?? { code: ErrorCode.KICKED_OUT_MULT_ACCOUNT, message: 'Signed out by the service.' };
}
