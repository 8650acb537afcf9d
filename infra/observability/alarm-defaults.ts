/**
 * What every alarm and graph of the stack shares, whichever construct owns it: one period, Tencent's
 * deadline, and an alarm named after the stack that treats missing data as no news.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** Tencent waits this long for an answer, then gives up on the callback. */
export const TENCENT_TIMEOUT_MS = 2_000;

/** One period for every graph and alarm: EMF and the AWS metrics both have 1-minute data, 5 reads steadier. */
export const PERIOD = Duration.minutes(5);

export type AlarmProps = Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'alarmDescription'> & Partial<cloudwatch.AlarmProps>;

/** The alarms' name prefix: the stack's name unless told, so two stacks in one account do not collide. */
export const alarmNamePrefix = (scope: Construct, prefix?: string) => prefix ?? Stack.of(scope).stackName;

/** An alarm `<prefix>-<name>` (the name defaults to the id), raised above its threshold in one period unless told otherwise. */
export function alarm(scope: Construct, id: string, namePrefix: string, props: AlarmProps, name = id): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmName: `${namePrefix}-${name}`,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // No callbacks is no news: a quiet night is not an outage, and the errors alarms have nothing to count.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    ...props,
  });
}

/** One of the table's per-operation metrics for PutItem, the only call the handler makes. */
export function putItemMetric(table: dynamodb.ITable, metricName: string, statistic: string, label?: string): cloudwatch.Metric {
  return table.metric(metricName, { dimensionsMap: { TableName: table.tableName, Operation: 'PutItem' }, period: PERIOD, statistic, label });
}
