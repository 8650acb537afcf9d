/**
 * What every alarm and graph of the receiver shares, whichever construct owns it: one alarm-defaults
 * object (as cdk-monitoring-constructs' `alarmFactoryDefaults`), resolved once by the receiver and
 * passed down, Tencent's deadline, and an alarm that treats missing data as no news and names its
 * runbook entry.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** Tencent waits this long for an answer, then gives up on the callback. */
export const TENCENT_TIMEOUT_MS = 2_000;

/** The graphs' period, and the alarms' unless told: EMF and the AWS metrics both have 1-minute data, 5 reads steadier. */
export const PERIOD = Duration.minutes(5);

/** Where each alarm's runbook entry is: `docs/operations.md#alarm-<kebab-case alarm name>`. */
export const RUNBOOK = 'docs/operations.md';

/** Every alarm of a receiver takes these; each is optional. */
export interface AlarmDefaults {
  /**
   * Starts every alarm's name (`<namePrefix>-FunctionErrors`), names the dashboard and the saved
   * queries' folder: letters, digits, `-` and `_`, unique in the account and region.
   * @default - the stack's name, then the receiver's path in the stack (`MyStack-Im`)
   */
  readonly namePrefix?: string;
  /**
   * Where every alarm, and its all-clear, is sent.
   * @default - an SNS topic the receiver makes (its `alarmTopic`), with `email` subscribed
   */
  readonly action?: cloudwatch.IAlarmAction;
  /**
   * An address subscribed to the receiver's alarm topic (AWS mails a confirmation first). Not with `action`.
   * @default - none: synth warns that the topic has no subscriber
   */
  readonly email?: string;
  /** The period every alarm evaluates. @default Duration.minutes(5) */
  readonly period?: Duration;
  /**
   * Periods an alarm looks at, and how many must breach. An alarm with a reason of its own keeps it
   * (SlowCallbacks: 2 of 3, so one cold start is not a trend).
   * @default 1 of 1
   */
  readonly evaluationPeriods?: number;
  /** @default - as evaluationPeriods */
  readonly datapointsToAlarm?: number;
}

/** The defaults as the receiver resolved them: what each construct's alarms are made with. */
export interface ResolvedAlarmDefaults {
  readonly namePrefix: string;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
}

export const resolveAlarmDefaults = (defaults: AlarmDefaults, namePrefix: string): ResolvedAlarmDefaults => ({
  namePrefix: defaults.namePrefix ?? namePrefix,
  period: defaults.period ?? PERIOD,
  evaluationPeriods: defaults.evaluationPeriods ?? 1,
  datapointsToAlarm: defaults.datapointsToAlarm,
});

/** `FanOutFailedEntries` → `fan-out-failed-entries`, `Api5xx` → `api-5xx`: the alarm's anchor in the runbook. */
export const kebabCase = (name: string): string =>
  name
    .replace(/([a-z])([A-Z0-9])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/** The runbook entry an alarm's description cites. */
export const runbookEntry = (name: string): string => `${RUNBOOK}#alarm-${kebabCase(name)}`;

/** "5 minutes", "1 minute", "90 seconds": a period as the descriptions say it. */
export function periodText(period: Duration): string {
  const seconds = period.toSeconds();
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
}

export interface ReceiverAlarmProps {
  /** A plain metric: its period becomes the defaults'. */
  readonly metric: cloudwatch.Metric;
  readonly threshold: number;
  /** What it means, then what to do: the runbook entry is cited after it. */
  readonly description: string;
  /** Its own evaluation, when it has a reason to differ from the defaults. */
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  /** Its construct id, where the name is another construct's in the scope. @default - the name */
  readonly id?: string;
}

/**
 * An alarm `<namePrefix>-<name>` with construct id `name` (unless given), raised above its threshold with the
 * defaults' period and evaluation, quiet on missing data, its description citing its runbook entry.
 * The actions are added by the receiver, once every alarm exists (callback-observability.ts).
 */
export function receiverAlarm(scope: Construct, name: string, defaults: ResolvedAlarmDefaults, props: ReceiverAlarmProps): cloudwatch.Alarm {
  const evaluationPeriods = props.evaluationPeriods ?? defaults.evaluationPeriods;
  return new cloudwatch.Alarm(scope, props.id ?? name, {
    alarmName: `${defaults.namePrefix}-${name}`,
    metric: props.metric.with({ period: defaults.period }),
    threshold: props.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm: props.evaluationPeriods === undefined ? defaults.datapointsToAlarm : props.datapointsToAlarm,
    // No callbacks is no news: a quiet night is not an outage, and the errors alarms have nothing to count.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `${props.description} Runbook: ${runbookEntry(name)}`,
  });
}

/** One of the table's per-operation metrics for PutItem, the only call the handler makes. */
export function putItemMetric(table: dynamodb.ITable, metricName: string, statistic: string, label?: string): cloudwatch.Metric {
  return table.metric(metricName, { dimensionsMap: { TableName: table.tableName, Operation: 'PutItem' }, period: PERIOD, statistic, label });
}
