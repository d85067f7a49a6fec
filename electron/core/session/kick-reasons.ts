import { messageFor } from '../../../shared/error-messages';
import { ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { KickedOutType } from '../chat/chat-like';

const KICK_CODES: Record<KickedOutType, number> = {
  multipleAccount: ErrorCode.KICKED_OUT_MULT_ACCOUNT,
  multipleDevice: ErrorCode.KICKED_OUT_MULT_DEVICE,
  userSigExpired: ErrorCode.KICKED_OUT_USERSIG_EXPIRED,
  REST_API_Kick: ErrorCode.KICKED_OUT_REST_API,
};

/** What to tell the operator when the service signs this session out. */
export function kickReason(type: KickedOutType): ErrorInfo {
  const code = KICK_CODES[type] ?? ErrorCode.KICKED_OUT_MULT_ACCOUNT;
  return { code, message: messageFor(code)! };
}
