import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { decisionMetricsOf, evaluationMetricsOf, type MetricValue, metricsOf } from '../callback-metrics.ts';
import { type CallbackRecord, callbackRecord } from '../callback-record.ts';
import { RuleEvaluations } from '../rule-evaluations.ts';

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
  /** How often the rules' evaluation counts are written, ms (rule-evaluations.ts). Default: a minute. */
  readonly evaluationsPeriodMs?: number;
}

/**
 * Used first, so it runs last: once the answer is settled, whether by the handler or by an error,
 * it writes exactly one record for the callback, with its metrics.
 */
export default function observeCallback(options: ObserveCallbackOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  const { log, includePayload = false, now = Date.now } = options;
  if (typeof log !== 'function') throw new TypeError('observeCallback: log must be a function');
  const evaluations = new RuleEvaluations(now(), options.evaluationsPeriodMs);

  function observe(request: Request<CallbackEvent, CallbackResult>) {
    const record = callbackRecord(request, { now, includePayload });
    const outcome = request.event?.callback?.outcome;
    const decision = outcome !== undefined && 'decision' in outcome ? outcome.decision : undefined;
    if (decision?.evaluated !== undefined) evaluations.add(decision.evaluated);
    // The policy's counts ride on the callback's own line (record-line.ts), after its record's.
    log(record, [...metricsOf(record), ...decisionMetricsOf(decision), ...evaluationMetricsOf(evaluations.due(now()))]);
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
