import type { MiddlewareObj, Request } from '@middy/core';
import { CALLBACK_METHOD, CALLBACK_PATH, type CallbackEvent, type CallbackResult, PROBE_METHODS } from '../callback-event.ts';
import { httpAnswer, ok } from '../tencent-answer.ts';

export interface AnswerConsoleProbeOptions {
  /** The SDKAppIDs whose callbacks are accepted (verify-sdk-app-id.ts). Required, at least one. */
  readonly sdkAppIds: readonly string[];
}

/** Base64 bodies longer than this are not decoded to look for whitespace: no probe sends one. */
const DECODED_AT_MOST = 4096;

/** No body, or only whitespace: nothing that claims to be a callback. */
function isEmptyBody(body: unknown, isBase64Encoded: boolean): boolean {
  if (typeof body !== 'string' || body === '') return true;
  if (isBase64Encoded && body.length > DECODED_AT_MOST) return false;
  return (isBase64Encoded ? Buffer.from(body, 'base64').toString('latin1') : body).trim() === '';
}

const probeMethods: ReadonlySet<string> = new Set(PROBE_METHODS);

/**
 * The Chat console's "校验" (validate) button probes the callback URL before it is saved and shows
 * "URL地址错误" when the probe fails; what it sends is documented nowhere (docs/protocol.md#console-probe).
 * So a request that cannot be a callback is answered as the probe it may be: a `GET` or `HEAD` of the
 * callback path, or a `POST` to it with an empty body, whatever its query says, is answered 200 with
 * `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`, stores nothing and decides nothing (the
 * record's outcome is `probe`).
 *
 * A probe naming another app's SdkAppid is no probe of this receiver: the chain refuses it as it
 * refuses any request naming one (403; 405 for a GET), so a stranger learns nothing a callback would
 * not tell them, and it costs no more than any refusal. A
 * probe's Sign is not required: whether the console signs its probe is not documented either, and a
 * probe gains its sender nothing (the answer is this constant). Every request with a body still goes
 * through every check: a body claiming to be a callback gets its 4xx as before.
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
      const probing = probeMethods.has(callback.method) || (callback.method === CALLBACK_METHOD && isEmptyBody(event.body, event.isBase64Encoded));
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
