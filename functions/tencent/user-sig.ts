/**
 * The admin UserSig every REST request carries, made with Tencent's own `tls-sig-api-v2` package
 * (research-tencent.md §6; https://github.com/tencentyun/tls-sig-api-v2-node), and kept until shortly
 * before it expires: signing is cheap, but one sig per client spares an HMAC and a deflate per call.
 *
 * Tencent advises a validity of at least 24 hours ("It is recommended to set the UserSig valid period
 * to not less than 24 hours", error 70001, https://trtc.io/document/34348): sigs here last 24 h and are
 * renewed after 23 h, so a request never carries one about to expire.
 */
// The file itself: the package's package.json names `main` twice (TLSSigAPI.js, then TLSSigAPIv2.js),
// and resolvers disagree on which wins (Node takes the last; jest's resolver the first, which does not exist).
import { Api } from 'tls-sig-api-v2/TLSSigAPIv2.js';
import type { TencentCredentials } from './tencent-credentials.ts';

export const userSigLifetimeSeconds = 24 * 60 * 60;
export const userSigRenewAfterSeconds = 23 * 60 * 60;

export interface UserSigSource {
  /** The current sig, made anew when the last is older than the renewal age. */
  current(): string;
  /** Forgets the current sig, e.g. after Tencent called it expired (70001). */
  renew(): void;
}

export interface UserSigOptions {
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

export function userSigSource(credentials: TencentCredentials, { now = Date.now }: UserSigOptions = {}): UserSigSource {
  const api = new Api(Number(credentials.sdkAppId), credentials.secretKey);
  let sig: string | undefined;
  let madeAt = 0;
  return {
    current() {
      if (sig === undefined || now() - madeAt >= userSigRenewAfterSeconds * 1000) {
        sig = api.genUserSig(credentials.identifier, userSigLifetimeSeconds);
        madeAt = now();
      }
      return sig;
    },
    renew() {
      sig = undefined;
    },
  };
}
