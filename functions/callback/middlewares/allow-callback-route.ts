import type { MiddlewareObj, Request } from '@middy/core';
import { CallbackError } from '../callback-error.ts';
import { CALLBACK_METHOD, CALLBACK_PATH, type CallbackEvent, type CallbackResult } from '../callback-event.ts';

/**
 * Only `POST /callback` is served, and the console's probe (answer-console-probe.ts, which this step
 * is skipped for). In AWS, API Gateway routes nothing else to the function; the local server sends
 * every request here, so this step answers the rest in Tencent's format.
 */
export default function allowCallbackRoute(): MiddlewareObj<CallbackEvent, CallbackResult> {
  return {
    before: function allowCallbackRouteBefore({ event: { callback } }: Request<CallbackEvent, CallbackResult>) {
      if (callback.path !== CALLBACK_PATH) {
        throw new CallbackError('route-not-found', `no callback is served at ${callback.path.slice(0, 200)}: use POST ${CALLBACK_PATH}`);
      }
      if (callback.method !== CALLBACK_METHOD) {
        throw new CallbackError('method-not-allowed', `${callback.method.slice(0, 20)} is not allowed: Tencent calls back with POST`, {
          headers: { allow: CALLBACK_METHOD },
        });
      }
    },
  };
}
