import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { type MetricValue, metricsOf } from '../callback-metrics.ts';
import { type CallbackRecord, callbackRecord } from '../callback-record.ts';

export interface ObserveCallbackOptions {
  /**
   * Writes the record and what it counts: one line with its EMF metrics in Lambda (record-line.ts),
   * a readable line or JSON locally, where metrics go nowhere. Required.
   */
  readonly log: (record: CallbackRecord, metrics: readonly MetricValue[]) => void;
  /** Records carry the body as received (the DEBUG level). Default: false. */
  readonly includePayload?: boolean;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * Used first, so it runs last: once the answer is settled, whether by the handler or by an error,
 * it writes exactly one record for the callback, with its metrics.
 */
export default function observeCallback(options: ObserveCallbackOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  const { log, includePayload = false, now = Date.now } = options;
  if (typeof log !== 'function') throw new TypeError('observeCallback: log must be a function');

  function observe(request: Request<CallbackEvent, CallbackResult>) {
    const record = callbackRecord(request, { now, includePayload });
    log(record, metricsOf(record));
  }

  return {
    after: function observeCallbackAfter(request) {
      observe(request);
    },
    onError: function observeCallbackOnError(request) {
      observe(request);
    },
  };
}
