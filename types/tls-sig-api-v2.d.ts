/** Tencent's UserSig generator (npm tls-sig-api-v2 1.0.2, CommonJS, no declarations of its own): its one file. */
declare module 'tls-sig-api-v2/TLSSigAPIv2.js' {
  export class Api {
    constructor(sdkappid: number, key: string);
    /** A UserSig for `userid`, valid `expire` seconds from now. */
    genUserSig(userid: string, expire: number): string;
  }
}
