import type { MiddlewareObj, Request } from '@middy/core';
import { CallbackError, INTERNAL_ERROR } from '../callback-error.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { errorAnswer, fail, httpAnswer } from '../tencent-answer.ts';

/**
 * Turns every error into Tencent's format: a `CallbackError` keeps its status, code and message;
 * anything else is a bug, answered without internals (no stack, no paths). The callback's record
 * (observe-callback.ts) carries the error for the logs.
 */
export default function tencentErrorResponse(): MiddlewareObj<CallbackEvent, CallbackResult> {
  return {
    onError: function tencentErrorResponseOnError(request: Request<CallbackEvent, CallbackResult>) {
      const error = request.error;
      if (error instanceof CallbackError) {
        request.response = errorAnswer(error);
        return;
      }
      request.response = httpAnswer(INTERNAL_ERROR.statusCode, fail(INTERNAL_ERROR.errorCode, 'internal error: the callback was not handled'));
    },
  };
}
