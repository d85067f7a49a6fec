/** Tencent's TLSSigAPIv2 signer for Node (github.com/tencentyun/tls-sig-api-v2-node). */
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkappid: number, key: string);
    /** A UserSig for `userID`, valid for `expireSeconds`. */
    genUserSig(userID: string, expireSeconds: number): string;
  }
}
