import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { type CallbackRecord, callbackRecord, commandDimension } from '../callback-record.ts';
import { type CallbackMetric, callbackMetrics, type DimensionsOf } from '../metric-names.ts';

export interface ObserveCallbackOptions {
  /** Writes the record: Powertools Logger in Lambda, a readable line or JSON locally. Required. */
  readonly log: (record: CallbackRecord) => void;
  /** Records carry the body as received (the DEBUG level). Default: false. */
  readonly includePayload?: boolean;
  /** Powertools Metrics, emitted as CloudWatch EMF. Default: none (local mode). */
  readonly metrics?: Metrics;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

function emitMetrics(metrics: Metrics, record: CallbackRecord) {
  if (record.coldStart) metrics.captureColdStartMetric();
  // One EMF line per dimension set, published from the one instance: singleMetric() would build a
  // new Metrics (and Console) for each, a measurable share of a warm invocation. The dimensions are
  // typed by the metric's declared set (metric-names.ts), which the dashboard searches for.
  const emit = <Metric extends CallbackMetric>(metric: Metric, dimensions: DimensionsOf<Metric>, unit: Unit, value: number) => {
    metrics.addDimensions(dimensions);
    metrics.addMetric(metric.name, unit, value);
    metrics.publishStoredMetrics();
  };
  const m = callbackMetrics;
  emit(m.callbacks, { command: commandDimension(record.command), outcome: record.outcome }, MetricUnit.Count, 1);
  emit(m.handlerLatency, { kind: record.kind ?? 'none' }, MetricUnit.Milliseconds, record.durationMs);
  if (record.outcome === 'duplicate') emit(m.duplicates, {}, MetricUnit.Count, 1);
  if (record.outcome === 'queued') emit(m.queued, {}, MetricUnit.Count, 1);
  if (record.outcome === 'refused') emit(m.refusals, { code: String(record.code) }, MetricUnit.Count, 1);
  if (record.outcome === 'timed-out') emit(m.policyTimeouts, { command: commandDimension(record.command) }, MetricUnit.Count, 1);
  if (record.unknownCommand) emit(m.unknownCommands, { kind: record.kind ?? 'none' }, MetricUnit.Count, 1);
  if (record.outcome === 'rejected') emit(m.rejections, { reason: String(record.reason) }, MetricUnit.Count, 1);
  if (record.outcome === 'failed') emit(m.failures, { reason: String(record.reason) }, MetricUnit.Count, 1);
}

/**
 * Used first, so it runs last: once the answer is settled, whether by the handler or by an error,
 * it writes exactly one record for the callback and its metrics.
 */
export default function observeCallback(options: ObserveCallbackOptions): MiddlewareObj<CallbackEvent, CallbackResult> {
  const { log, metrics, includePayload = false, now = Date.now } = options;

  function observe(request: Request<CallbackEvent, CallbackResult>) {
    const record = callbackRecord(request, { now, includePayload });
    log(record);
    if (metrics) emitMetrics(metrics, record);
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
