import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Decision } from '../../policy/decision.ts';
import type { CallbackEvent, CallbackResult } from '../callback-event.ts';
import { type CallbackRecord, callbackRecord, commandDimension } from '../callback-record.ts';
import { type CallbackMetric, callbackMetrics, type DimensionsOf } from '../metric-names.ts';
import { RuleEvaluations } from '../rule-evaluations.ts';

export interface ObserveCallbackOptions {
  /** Writes the record: Powertools Logger in Lambda, a readable line or JSON locally. Required. */
  readonly log: (record: CallbackRecord) => void;
  /** Records carry the body as received (the DEBUG level). Default: false. */
  readonly includePayload?: boolean;
  /** Powertools Metrics, emitted as CloudWatch EMF. Default: none (local mode). */
  readonly metrics?: Metrics;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
  /** How often the rules' evaluation counts are written, ms (rule-evaluations.ts). Default: a minute. */
  readonly evaluationsPeriodMs?: number;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

function emitMetrics(metrics: Metrics, record: CallbackRecord, decision: Decision | undefined, evaluations: RuleEvaluations, at: number) {
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
  for (const { dimension } of decision?.matched ?? []) emit(m.policyRuleHits, { rule: dimension }, MetricUnit.Count, 1);
  for (const { rule } of decision?.shadow ?? []) emit(m.policyShadowHits, { rule: rule.dimension }, MetricUnit.Count, 1);
  if (decision?.counterMisses !== undefined) emit(m.policyCounterMisses, {}, MetricUnit.Count, decision.counterMisses);
  if (decision?.evaluated !== undefined) evaluations.add(decision.evaluated);
  for (const [rule, count] of evaluations.due(at) ?? []) emit(m.policyRuleEvaluations, { rule }, MetricUnit.Count, count);
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
  const evaluations = new RuleEvaluations(now(), options.evaluationsPeriodMs);

  function observe(request: Request<CallbackEvent, CallbackResult>) {
    const record = callbackRecord(request, { now, includePayload });
    log(record);
    const outcome = request.event?.callback?.outcome;
    const decision = outcome !== undefined && 'decision' in outcome ? outcome.decision : undefined;
    if (metrics) emitMetrics(metrics, record, decision, evaluations, now());
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
