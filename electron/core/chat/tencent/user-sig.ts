import { Api } from 'tls-sig-api-v2';

/** How long a generated UserSig is valid: one week, as Tencent's console tools default to. */
export const GENERATED_USER_SIG_SECONDS = 7 * 24 * 3_600;

/**
 * Development only: signs a UserSig with the application's secret key, using Tencent's TLSSigAPIv2.
 * In production the UserSig comes from the application's own server, so the key never leaves it.
 */
export function generateUserSig(SDKAppID: number, secretKey: string, userID: string): string {
  return new Api(SDKAppID, secretKey).genUserSig(userID, GENERATED_USER_SIG_SECONDS);
}
