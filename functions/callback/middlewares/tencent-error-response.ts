import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { CallbackError } from '../callback-error.ts';
import { errorAnswer, fail, httpAnswer } from '../tencent-answer.ts';

export interface TencentErrorResponseOptions {
  /** Where unexpected errors are reported. Default: `console.error`. */
  readonly report?: (message: string, error: unknown) => void;
}

/**
 * Turns every error into Tencent's format: a `CallbackError` keeps its status, code and message;
 * anything else is a bug, reported here and answered without internals (no stack, no paths).
 */
export default function tencentErrorResponse(options: TencentErrorResponseOptions = {}): MiddlewareObj<CallbackEvent, CallbackResult> {
  const report = options.report ?? ((message, error) => console.error(message, error));

  return {
    onError: function tencentErrorResponseOnError(request: Request<CallbackEvent, CallbackResult>) {
      const error = request.error;
      if (error instanceof CallbackError) {
        request.response = errorAnswer(error);
        return;
      }
      report('unexpected error while handling a callback', error);
      request.response = httpAnswer(500, fail(50000, 'internal error: the callback was not handled'));
    },
  };
}
