import type { MiddlewareObj, Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { mayHoldLongIntegers, parseExactJson } from '../../shared/exact-json.ts';
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
 * The body again with its long integers exact. Its reviver walks as deep as middy's, which has just
 * read the text; should it run out of stack all the same, the body middy read stands (a long integer
 * rounded, as JSON.parse reads it), never a 500.
 */
function exactly(text: string, parsed: unknown): unknown {
  try {
    return parseExactJson(text);
  } catch {
    return parsed;
  }
}

const PARSER_PACKAGE = '@middy/http-json-body-parser';

/**
 * Middy's parser's 422 in Tencent's words. Middy 7 errors name the package that threw them
 * (`cause.package`) and carry what it found (`cause.data`); the parser's cause has a `message` (the
 * JSON error) when the text does not parse, and none when its reviver refused a key (`__proto__`,
 * `constructor.prototype`: the key is the data). Text that parses without a reviver but not with
 * middy's is valid JSON nested past the reviver's stack. Anything else is not the sender's doing:
 * it is thrown on, and answered 500.
 */
function parserRefusal(error: unknown, text: string): unknown {
  const cause = (error as { cause?: unknown }).cause;
  if (!isObject(cause) || cause.package !== PARSER_PACKAGE) return error;
  if (cause.message === undefined) return new CallbackError('forbidden-json-key', `the body has a forbidden key: ${String(cause.data)}`, { cause: error });
  const reason = parses(text) ? 'it nests too deeply to read' : String(cause.message);
  return new CallbackError('invalid-json', `the body is not valid JSON: ${reason}`, { cause: error });
}

/** V8's own JSON.parse reads any depth; a reviver walks the result recursively, and runs out of stack. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The body must be one JSON object. Tencent documents no Content-Type (docs/protocol.md#body), so middy's parser
 * runs without its content-type check, and API Gateway's base64 encoding of such bodies is undone
 * here, strictly, so the exact text can be kept and hashed. Middy's 422 errors become Tencent answers
 * that say what was wrong. An integer too large for a double (an account id Tencent sends as a bare
 * number, docs/protocol.md#big-integers) is read as its exact digits, once middy's parse has passed
 * the text: the second parse costs only the bodies that hold 16 digits in a row.
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
        throw parserRefusal(error, text);
      }
      if (!isObject(event.body)) {
        const found = Array.isArray(event.body) ? 'an array' : event.body === null ? 'null' : `a ${typeof event.body}`;
        throw new CallbackError('body-not-object', `the body must be a JSON object, not ${found}`);
      }
      if (mayHoldLongIntegers(text)) event.body = exactly(text, event.body) as never;
    },
  };
}
