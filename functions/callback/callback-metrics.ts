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
