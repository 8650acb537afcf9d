import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj, Request } from '@middy/core';
import { CallbackError } from '../callback-error.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

export interface VerifySignOptions {
  /**
   * The tokens set in the Chat console: usually one, two while rotating. Asked on every request, so
   * a provider can cache and refresh; none means callback authentication is off.
   */
  readonly tokens: () => readonly string[] | Promise<readonly string[]>;
  /** How far `RequestTime` may be from the receiver's clock, either way, in seconds (settings.ts, signWindowSeconds). */
  readonly windowSeconds: number;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

const hexSha256 = /^[0-9a-f]{64}$/i;
const unixSeconds = /^\d{1,12}$/;

/** Tencent's signature: the hex SHA-256 of the token followed by `RequestTime` (docs/protocol.md#sign). */
export const signOf = (token: string, requestTime: string): Buffer => createHash('sha256').update(`${token}${requestTime}`).digest();

/**
 * Checks Tencent's optional callback authentication: with a token set in the console, every URL
 * carries `Sign` and `RequestTime`. The signature covers only the token and the time, not the body,
 * so the time window is what stops a captured URL from being replayed later.
 */
export default function verifySign(options: VerifySignOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  const { windowSeconds } = options;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new TypeError('verifySign: windowSeconds must be a whole number of seconds, at least 1');
  const now = options.now ?? Date.now;

  async function readTokens() {
    try {
      return await options.tokens();
    } catch (error) {
      throw new CallbackError('token-unavailable', 'the callback token could not be read: please retry', { cause: error });
    }
  }

  return {
    before: async function verifySignBefore({ event: { callback } }: Request<CallbackEvent, CallbackResult>) {
      const tokens = await readTokens();
      if (tokens.length === 0) return;

      const sign = callback.query.get('sign');
      const requestTime = callback.query.get('requesttime');
      if (!sign || !requestTime) {
        throw new CallbackError('missing-sign', 'the URL has no Sign and RequestTime: this receiver requires the callback token');
      }
      if (!unixSeconds.test(requestTime)) {
        throw new CallbackError('request-time-outside-window', 'RequestTime is not a time in Unix seconds');
      }
      const skew = Math.floor(now() / 1000) - Number(requestTime);
      if (Math.abs(skew) > windowSeconds) {
        const direction = skew > 0 ? 'in the past' : 'in the future';
        throw new CallbackError('request-time-outside-window', `RequestTime is ${Math.abs(skew)} s ${direction}, more than the ${windowSeconds} s allowed`);
      }
      const given = hexSha256.test(sign) ? Buffer.from(sign, 'hex') : undefined;
      // Every token is compared, in constant time, so the time taken tells nothing about which failed.
      const matches = tokens.map((token) => given !== undefined && timingSafeEqual(given, signOf(token, requestTime)));
      if (!matches.includes(true)) {
        throw new CallbackError('invalid-sign', 'Sign does not match: check the token set in the Chat console');
      }
    },
  };
}
