import type { Decision } from '../policy/decision.ts';
import { type CallbackRecord, commandDimension } from './callback-record.ts';
import { type CallbackMetric, callbackMetrics, type DimensionsOf } from './metric-names.ts';

/** CloudWatch's units, as EMF names them: the ones the receiver's metrics use. */
export type MetricUnit = 'Count' | 'Milliseconds';

/** One value of one metric with its dimension values (besides `service`): what a callback counts. */
export interface MetricValue<Metric extends CallbackMetric = CallbackMetric> {
  readonly metric: Metric;
  readonly dimensions: DimensionsOf<Metric>;
  readonly unit: MetricUnit;
  readonly value: number;
}

/** A metric's value, its dimension values checked against the metric's declared set (metric-names.ts). */
const counted = <Metric extends CallbackMetric>(metric: Metric, dimensions: DimensionsOf<Metric>, value = 1): MetricValue =>
  ({ metric, dimensions, unit: 'Count', value }) as MetricValue;

/**
 * What a callback's record counts in CloudWatch: every callback by command and outcome, and the
 * outcomes the dashboard draws on their own. The record line carries them (record-line.ts), so a
 * metric exists exactly when a record does.
 */
export function metricsOf(record: CallbackRecord): MetricValue[] {
  const m = callbackMetrics;
  const command = commandDimension(record.command);
  const values = [counted(m.callbacks, { command, outcome: record.outcome })];
  if (record.coldStart) values.push(counted(m.coldStart, {}));
  switch (record.outcome) {
    case 'duplicate':
      values.push(counted(m.duplicates, {}));
      break;
    case 'queued':
      values.push(counted(m.queued, {}));
      break;
    case 'refused':
      values.push(counted(m.refusals, { code: String(record.code) }));
      break;
    case 'timed-out':
      values.push(counted(m.policyTimeouts, { command }));
      break;
    case 'rejected':
      values.push(counted(m.rejections, { reason: String(record.reason) }));
      break;
    case 'failed':
      values.push(counted(m.failures, { reason: String(record.reason) }));
      break;
  }
  if (record.unknownCommand) values.push(counted(m.unknownCommands, { kind: record.kind ?? 'none' }));
  return values;
}

/**
 * What a before-callback's decision counts, beside its record's metrics: each rule that decided or
 * changed the answer, each shadow rule that would have acted (by the bounded rule dimension:
 * policy/rule-dimension.ts), and the counter calls that missed their budget. They ride on the same
 * record line; a second value of one metric (two rules) gets a further EMF document (emf.ts).
 */
export function decisionMetricsOf(decision: Decision | undefined): MetricValue[] {
  if (decision === undefined) return [];
  const m = callbackMetrics;
  return [
    ...(decision.matched ?? []).map(({ dimension }) => counted(m.policyRuleHits, { ruleId: dimension })),
    ...(decision.shadow ?? []).map(({ rule }) => counted(m.policyShadowHits, { ruleId: rule.dimension })),
    ...(decision.counterMisses === undefined ? [] : [counted(m.policyCounterMisses, {}, decision.counterMisses)]),
  ];
}

/** The rules' evaluation counts summed over a period (rule-evaluations.ts), when one is due. */
export function evaluationMetricsOf(counts: ReadonlyMap<string, number> | undefined): MetricValue[] {
  return [...(counts ?? [])].map(([rule, count]) => counted(callbackMetrics.policyRuleEvaluations, { ruleId: rule }, count));
}
