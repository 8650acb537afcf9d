/** The callback function's, the API's and the table's alarms: what says Tencent is not being answered. */
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PERIOD, periodText, putItemMetric, type ResolvedAlarmDefaults, receiverAlarm, TENCENT_TIMEOUT_MS } from './alarm-defaults.ts';
import { savedQueryNames } from './saved-queries.ts';

export interface ReceiverAlarmsProps {
  readonly function: lambda.IFunction;
  readonly api: IHttpApi;
  readonly table: dynamodb.ITable;
  readonly latencyAlarmMs: number;
  readonly alarms: ResolvedAlarmDefaults;
}

export function createReceiverAlarms(scope: Construct, { function: fn, api, table, latencyAlarmMs, alarms }: ReceiverAlarmsProps): cloudwatch.Alarm[] {
  const query = (name: keyof typeof savedQueryNames) => `"${alarms.namePrefix}/${savedQueryNames[name]}" saved query`;
  const period = periodText(alarms.period);
  return [
    receiverAlarm(scope, 'FunctionErrors', alarms, {
      metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      description:
        `The callback function crashed or timed out (Lambda Errors > 0 in ${period}), so Tencent got API Gateway's 500 instead of the receiver's answer. ` +
        `Look for level ERROR and "Task timed out" in the function's log group, and at the ${query('rejections')}.`,
    }),
    receiverAlarm(scope, 'SlowCallbacks', alarms, {
      metric: fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
      threshold: latencyAlarmMs,
      // Two slow periods out of three: one cold start on a quiet API is not a trend.
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description:
        `The callback function's p99 duration has been over ${latencyAlarmMs} ms (latencyAlarmMs) in 2 of the last 3 periods of ${period}; ` +
        `Tencent gives up after ${TENCENT_TIMEOUT_MS} ms. Check the dashboard's DynamoDB latency and the ${query('slowest')} ` +
        '(coldStart, command); more memory shortens cold starts.',
    }),
    receiverAlarm(scope, 'Api5xx', alarms, {
      metric: api.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      description:
        `The callback API answered 5xx (> 0 in ${period}): an event could not be stored or the token could not be read (503), ` +
        'an unexpected error (500), or the function crashed, timed out or was throttled. Tencent got no acknowledgement, so an after-event is lost unless its retry is on. ' +
        `Run the ${query('rejections')} to see the reasons.`,
    }),
    receiverAlarm(scope, 'TableThrottles', alarms, {
      metric: putItemMetric(table, 'ThrottledRequests', cloudwatch.Stats.SUM),
      threshold: 0,
      description:
        `DynamoDB throttled writes of callback events (ThrottledRequests for PutItem > 0 in ${period}). The SDK retries them, ` +
        'which slows the answer; writes that still fail go to the fallback queue (outcome "queued"). ' +
        "Check the table's write throttles on the dashboard and its on-demand throughput limits.",
    }),
  ];
}
