import { ErrorCode } from './errors';
import { fail, ok, type Result } from './result';
import type { ReasonParams, ValidationReason } from './validation-reasons';
import { utf8Length } from './validation';

/** A Tencent Cloud Chat UserID is at most 32 bytes. */
export const MAX_USER_ID_BYTES = 32;
/** Generous bound on a UserSig (real ones are a few hundred characters). */
export const MAX_USER_SIG_LENGTH = 4_096;
const MAX_SDK_APP_ID = 4_294_967_295;
const CONTROL_OR_SPACE = /[\s\p{Cc}]/u;
const USER_SIG_CHARACTERS = /^[A-Za-z0-9*_\-+/=]+$/;
const SECRET_KEY = /^[0-9a-fA-F]{64}$/;

function refuse(reason: ValidationReason, message: string, params?: ReasonParams): Result<never> {
  return fail(ErrorCode.CREDENTIALS_INVALID, message, params === undefined ? { reason } : { reason, params });
}

function text(subject: 'userId' | 'userSig' | 'secretKey' | 'sdkAppId', noun: string, input: unknown): Result<string> {
  if (input === undefined) return refuse(`${subject}.missing`, `${noun} is missing.`);
  if (typeof input !== 'string') return refuse(`${subject}.type`, `${noun} must be text.`);
  if (input.trim() === '') return refuse(`${subject}.empty`, `Enter the ${noun}.`);
  return ok(input.trim());
}

/** Checks an SDKAppID: the application's number from the console, given as digits. */
export function validateSDKAppID(input: unknown): Result<number> {
  const digits = typeof input === 'number' ? String(input) : input;
  const checked = text('sdkAppId', 'SDKAppID', digits);
  if (!checked.ok) return checked;
  const value = Number(checked.value);
  if (!/^\d{1,10}$/.test(checked.value) || value < 1 || value > MAX_SDK_APP_ID) {
    return refuse('sdkAppId.invalid', 'An SDKAppID is the number shown in the Tencent Cloud Chat console, such as 1400123456.');
  }
  return ok(value);
}

/** Checks a UserID: 1..32 bytes, no spaces or control characters. */
export function validateUserID(input: unknown): Result<string> {
  const checked = text('userId', 'UserID', input);
  if (!checked.ok) return checked;
  if (CONTROL_OR_SPACE.test(checked.value)) return refuse('userId.characters', 'A UserID has no spaces or control characters.');
  const bytes = utf8Length(checked.value);
  if (bytes > MAX_USER_ID_BYTES) {
    return refuse('userId.tooLong', `A UserID is at most ${MAX_USER_ID_BYTES} bytes; this one has ${bytes}.`, {
      max: MAX_USER_ID_BYTES,
      bytes,
    });
  }
  return ok(checked.value);
}

/** Checks a UserSig as pasted: the URL-safe base64 text Tencent's signers produce. */
export function validateUserSig(input: unknown): Result<string> {
  const checked = text('userSig', 'UserSig', input);
  if (!checked.ok) return checked;
  if (checked.value.length > MAX_USER_SIG_LENGTH) {
    return refuse('userSig.tooLong', `A UserSig is at most ${MAX_USER_SIG_LENGTH} characters.`, { max: MAX_USER_SIG_LENGTH });
  }
  if (!USER_SIG_CHARACTERS.test(checked.value)) {
    return refuse('userSig.characters', 'A UserSig holds only letters, digits and * - _ + / = (copy it again, whole).');
  }
  return ok(checked.value);
}

/** Checks an application's secret key: 64 hexadecimal characters, as the console shows it. */
export function validateSecretKey(input: unknown): Result<string> {
  const checked = text('secretKey', 'secret key', input);
  if (!checked.ok) return checked;
  if (!SECRET_KEY.test(checked.value)) {
    return refuse('secretKey.invalid', "The application's secret key is 64 hexadecimal characters (0-9, a-f).");
  }
  return ok(checked.value.toLowerCase());
}

/** A credential to sign in with: a UserSig, or (development only) the key to generate one. */
export type Credential = { kind: 'userSig'; userSig: string } | { kind: 'secretKey'; secretKey: string };

/** Checks that exactly one credential is given, and that it is well formed. */
export function validateCredential(input: { userSig?: unknown; secretKey?: unknown }): Result<Credential> {
  const hasSig = input.userSig !== undefined && input.userSig !== '';
  const hasKey = input.secretKey !== undefined && input.secretKey !== '';
  if (hasSig && hasKey) return refuse('credential.both', 'Give a UserSig or a secret key, not both.');
  if (!hasSig && !hasKey) return refuse('credential.none', 'Give a UserSig (or, for development, the secret key to generate one).');
  if (hasSig) {
    const userSig = validateUserSig(input.userSig);
    return userSig.ok ? ok({ kind: 'userSig', userSig: userSig.value }) : userSig;
  }
  const secretKey = validateSecretKey(input.secretKey);
  return secretKey.ok ? ok({ kind: 'secretKey', secretKey: secretKey.value }) : secretKey;
}
