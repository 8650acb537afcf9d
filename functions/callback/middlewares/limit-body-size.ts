import type { MiddlewareObj, Request } from '@middy/core';
import { CallbackError } from '../callback-error.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

export interface LimitBodySizeOptions {
  /** Larger bodies get 413. Required. */
  readonly maxBodyBytes: number;
}

/** Bytes the body decodes to, counted without decoding it; no body (undefined, or API Gateway's null) is none. */
const byteLength = (body: unknown, isBase64Encoded: unknown) =>
  typeof body !== 'string' ? 0 : Buffer.byteLength(body, isBase64Encoded === true ? 'base64' : 'utf8');

/** Refuses an oversized body before anything parses it: a flood of large bodies costs nothing more. */
export default function limitBodySize(options: LimitBodySizeOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  const { maxBodyBytes } = options;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new TypeError('limitBodySize: maxBodyBytes must be a positive whole number');

  return {
    before: function limitBodySizeBefore({ event }: Request<CallbackEvent, CallbackResult>) {
      const size = byteLength(event.body, event.isBase64Encoded);
      if (size > maxBodyBytes) {
        throw new CallbackError('payload-too-large', `the body is ${size} bytes, more than the ${maxBodyBytes} allowed`);
      }
    },
  };
}
