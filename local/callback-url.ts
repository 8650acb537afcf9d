/**
 * The URL Tencent calls, built as Tencent builds it: the banner's curl, the tests and the benchmarks
 * take it from here, so the parameters' names, order and defaults are written once.
 */
import { signOf } from '../functions/callback/middlewares/verify-sign.ts';

export interface CallbackQuery {
  readonly sdkAppId: string;
  readonly command: string;
  /** Default: 127.0.0.1. */
  readonly clientIp?: string;
  /** Default: RESTAPI. */
  readonly optPlatform?: string;
  /** With a token: RequestTime and Sign, signed for these Unix seconds. */
  readonly signed?: { readonly token: string; readonly requestTime: number | string };
}

/** The query string in Tencent's order (docs/protocol.md#query-parameters), Sign and RequestTime last when signed. */
export function callbackQuery({ sdkAppId, command, clientIp = '127.0.0.1', optPlatform = 'RESTAPI', signed }: CallbackQuery): string {
  const query = new URLSearchParams({ SdkAppid: sdkAppId, CallbackCommand: command, contenttype: 'json', ClientIP: clientIp, OptPlatform: optPlatform });
  if (signed !== undefined) {
    const requestTime = String(signed.requestTime);
    query.set('RequestTime', requestTime);
    query.set('Sign', signOf(signed.token, requestTime).toString('hex'));
  }
  return query.toString();
}

/** `base` (the receiver's callback URL, or just `/callback`) with Tencent's query. */
export const callbackUrl = (base: string, query: CallbackQuery): string => `${base}?${callbackQuery(query)}`;
