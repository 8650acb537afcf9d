import type { MiddlewareObj, Request } from '@middy/core';
import { CALLBACK_METHOD, CALLBACK_PATH, type CallbackEvent, type CallbackResult, PROBE_METHODS } from '../callback-event.ts';
import { httpAnswer, ok } from '../tencent-answer.ts';

export interface AnswerConsoleProbeOptions {
  /** The SDKAppIDs whose callbacks are accepted (verify-sdk-app-id.ts). Required, at least one. */
  readonly sdkAppIds: readonly string[];
}

/** The whitespace JSON allows around a value: a body of only these says nothing. */
const jsonWhitespace = /^[ \t\r\n]*$/;
const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * No body (API Gateway's `null`), or only whitespace: nothing that claims to be a callback. A base64
 * body is decoded as parse-json-body.ts decodes it; its start first, so a real callback (`{` first)
 * costs a 3 KB decode, never a second decode of the whole.
 */
function isEmptyBody(body: unknown, isBase64Encoded: boolean): boolean {
  if (typeof body !== 'string' || body === '') return true;
  if (!isBase64Encoded) return jsonWhitespace.test(body);
  return Buffer.from(body.slice(0, 4096), 'base64').every(isJsonWhitespace) && Buffer.from(body, 'base64').every(isJsonWhitespace);
}

const probeMethods: ReadonlySet<string> = new Set(PROBE_METHODS);

/**
 * The Chat console's "校验" (validate) button probes the callback URL before it is saved and shows
 * "URL地址错误" when the probe fails; what it sends is documented nowhere (docs/protocol.md#console-probe).
 * So a request that cannot be a callback is answered as the probe it may be: a `POST`, `GET` or `HEAD`
 * of the callback path with no body (or only whitespace), whatever its query says, is answered 200 with
 * `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`, stores nothing and decides nothing (the
 * record's outcome is `probe`).
 *
 * A probe naming another app's SdkAppid is no probe of this receiver: the chain refuses it as it
 * refuses any request naming one (403; 405 for a GET), so a stranger learns nothing a callback would
 * not tell them, and it costs no more than any refusal. A
 * probe's Sign is not required: whether the console signs its probe is not documented either, and a
 * probe gains its sender nothing (the answer is this constant). Every request with a body still goes
 * through every check, whatever its method: a body claiming to be a callback gets its 4xx as before.
 *
 * Used after normalizeEvent; the steps a probe skips are wrapped in `skippedForProbes`, and the
 * handler answers it with `probeAnswer` (chain.ts): middy skips the after-steps, and so the record,
 * of a request ended early.
 */
export default function answerConsoleProbe(options: AnswerConsoleProbeOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  if (options.sdkAppIds.length === 0) throw new TypeError('answerConsoleProbe: sdkAppIds must name at least one SDKAppID');
  const accepted = new Set(options.sdkAppIds);

  return {
    before: function answerConsoleProbeBefore({ event }: Request<CallbackEvent, CallbackResult>) {
      const { callback } = event;
      if (callback.path !== CALLBACK_PATH) return;
      const probing = (callback.method === CALLBACK_METHOD || probeMethods.has(callback.method)) && isEmptyBody(event.body, event.isBase64Encoded);
      const ours = callback.sdkAppId === undefined || callback.sdkAppId === '' || accepted.has(callback.sdkAppId);
      if (probing && ours) callback.probe = true;
    },
  };
}

/** A step of the chain that does not apply to the console's probe: the route, the Sign, the body, the command. */
export function skippedForProbes(middleware: MiddlewareObj<CallbackEvent, CallbackResult>): MiddlewareObj<CallbackEvent, CallbackResult> {
  const { before } = middleware;
  if (before === undefined) return middleware;
  return { ...middleware, before: (request) => (request.event.callback.probe ? undefined : before(request)) };
}

/** The answer to the console's probe: OK, nothing else; a HEAD's without a body. */
export function probeAnswer(event: CallbackEvent): CallbackResult {
  event.callback.outcome = { type: 'probe' };
  const answer = httpAnswer(200, ok());
  return event.callback.method === 'HEAD' ? { ...answer, body: '' } : answer;
}
