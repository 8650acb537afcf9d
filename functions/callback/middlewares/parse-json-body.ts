import type { MiddlewareObj, Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { isObject } from '../../shared/is-object.ts';
import { CallbackError } from '../callback-error.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';

/** Strict, and keeping a byte-order mark: the text must be exactly the bytes that came (JSON forbids the mark). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function bodyText(body: unknown, isBase64Encoded: unknown): string {
  // No body: undefined, or null as API Gateway sends it for a request without one.
  if (typeof body !== 'string') return '';
  if (isBase64Encoded !== true) return body;
  try {
    return strictUtf8.decode(Buffer.from(body, 'base64'));
  } catch {
    throw new CallbackError('invalid-utf8', 'the body is not valid UTF-8 text');
  }
}

/**
 * The body must be one JSON object. Tencent sends no Content-Type (protocol.md §1), so middy's parser
 * runs without its content-type check, and API Gateway's base64 encoding of such bodies is undone
 * here, strictly, so the exact text can be kept and hashed. Middy's 422 errors become Tencent answers
 * that say what was wrong.
 */
export default function parseJsonBody(): MiddlewareObj<CallbackEvent, CallbackResult> {
  const parse = httpJsonBodyParser({ disableContentTypeCheck: true }).before!;

  return {
    before: async function parseJsonBodyBefore(request: Request<CallbackEvent, CallbackResult>) {
      const event = request.event;
      const text = bodyText(event.body, event.isBase64Encoded);
      if (text.trim() === '') throw new CallbackError('empty-body', 'the body is empty: Tencent sends one JSON object');
      event.callback.rawBody = text;
      event.body = text;
      event.isBase64Encoded = false;
      try {
        await parse(request as unknown as Parameters<typeof parse>[0]);
      } catch (error) {
        const cause = (error as { cause?: { data?: unknown; message?: string } }).cause;
        if ((error as Error).message === 'Forbidden key in JSON body') {
          throw new CallbackError('forbidden-json-key', `the body has a forbidden key: ${String(cause?.data)}`, { cause: error });
        }
        const reason = cause?.message?.includes('call stack') ? 'it nests too deeply to read' : (cause?.message ?? 'parse error');
        throw new CallbackError('invalid-json', `the body is not valid JSON: ${reason}`, { cause: error });
      }
      if (!isObject(event.body)) {
        const found = Array.isArray(event.body) ? 'an array' : event.body === null ? 'null' : `a ${typeof event.body}`;
        throw new CallbackError('body-not-object', `the body must be a JSON object, not ${found}`);
      }
    },
  };
}
