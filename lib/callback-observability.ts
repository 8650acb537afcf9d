import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { metricNames, SERVICE_NAME } from '../functions/callback/metric-names.ts';
import { acknowledgeAlarmsWithoutAction } from './control-tower-acknowledgements.ts';

/** Tencent waits this long for an answer, then gives up on the callback. */
export const TENCENT_TIMEOUT_MS = 2_000;

/** One period for every graph and alarm: EMF and the AWS metrics both have 1-minute data, 5 reads steadier. */
const PERIOD = Duration.minutes(5);

/** Powertools' `service`, on every metric and record (functions/callback/powertools.ts). */
const SERVICE = SERVICE_NAME;

/** What every callback record carries (functions/callback/callback-record.ts), as Powertools Logger writes it. */
const CALLBACK_RECORDS = 'message = "callback"';

export interface CallbackObservabilityProps {
  /** The callback function: its Lambda metrics are graphed and alarmed. Required. */
  readonly function: lambda.IFunction;
  /** The function's own log group, where the callback records are: the saved queries read it. Required. */
  readonly logGroup: logs.ILogGroup;
  /** The HTTP API in front of the function: its 4xx/5xx, count and latency. Required. */
  readonly api: IHttpApi;
  /** The events table: PutItem latency and throttles. Required. */
  readonly table: dynamodb.ITable;
  /** The namespace the function writes its EMF metrics to (settings `metricsNamespace`). @default 'TencentImCallbacks' */
  readonly metricsNamespace?: string;
  /** The p99 function duration, in ms, that raises the latency alarm (settings `latencyAlarmMs`). @default 1000 */
  readonly latencyAlarmMs?: number;
  /** An address subscribed to the alarms through an SNS topic. @default - no topic: the alarms only show in the console */
  readonly alarmEmail?: string;
  /**
   * Names the dashboard, starts every alarm's name and is the saved queries' folder. Letters, digits,
   * `-` and `_`, as dashboard names require.
   * @default - the stack's name
   */
  readonly namePrefix?: string;
  /** The fallback queue and its dead-letter queue: their age and depth are alarmed. @default - none */
  readonly fallback?: { readonly queue: sqs.IQueue; readonly deadLetterQueue: sqs.IQueue };
}

/**
 * How the deployed receiver is doing, in one place: a dashboard of the callbacks and what serves them,
 * its alarms (optionally mailed through an SNS topic) and saved Logs Insights queries over the
 * callback records. The metric and field names are the ones functions/callback/middlewares/observe-callback.ts
 * and callback-record.ts write.
 */
export class CallbackObservability extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[];
  /** Where the alarms go, when `alarmEmail` is set. */
  readonly alarmTopic?: sns.Topic;
  readonly queries: logs.QueryDefinition[];

  constructor(scope: Construct, id: string, props: CallbackObservabilityProps) {
    super(scope, id);
    const settings = {
      ...props,
      metricsNamespace: props.metricsNamespace ?? 'TencentImCallbacks',
      latencyAlarmMs: props.latencyAlarmMs ?? 1_000,
      namePrefix: props.namePrefix ?? Stack.of(this).stackName,
    };

    this.alarms = createAlarms(this, settings);
    if (settings.alarmEmail === undefined) acknowledgeAlarmsWithoutAction(this);
    if (settings.alarmEmail !== undefined) {
      this.alarmTopic = createAlarmTopic(this, settings.alarmEmail, this.alarms);
      const action = new SnsAction(this.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        // Also the all-clear, so a mailbox shows when the problem ended, not only when it began.
        alarm.addOkAction(action);
      }
    }
    this.dashboard = createDashboard(this, settings, this.alarms);
    this.queries = createQueries(this, settings);
  }
}

type Settings = CallbackObservabilityProps & Required<Pick<CallbackObservabilityProps, 'metricsNamespace' | 'latencyAlarmMs' | 'namePrefix'>>;

// ---------------------------------------------------------------------------------------------------
// Alarms

function createAlarms(scope: Construct, settings: Settings): cloudwatch.Alarm[] {
  const { function: fn, api, table, latencyAlarmMs, namePrefix } = settings;
  const alarm = (id: string, props: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'alarmDescription'> & Partial<cloudwatch.AlarmProps>) =>
    new cloudwatch.Alarm(scope, id, {
      alarmName: `${namePrefix}-${id}`,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No callbacks is no news: a quiet night is not an outage, and the errors alarms have nothing to count.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });

  return [
    alarm('FunctionErrors', {
      metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      alarmDescription:
        "The callback function crashed or timed out (Lambda Errors > 0 in 5 minutes), so Tencent got API Gateway's 500 instead of the receiver's answer. " +
        `Look for level ERROR and "Task timed out" in the function's log group, and at the "${namePrefix}/Rejections and failures" saved query.`,
    }),
    alarm('SlowCallbacks', {
      metric: fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
      threshold: latencyAlarmMs,
      // Two slow 5-minute periods out of three: one cold start on a quiet API is not a trend.
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription:
        `The callback function's p99 duration has been over ${latencyAlarmMs} ms (latencyAlarmMs) in 2 of the last 3 five-minute periods; ` +
        `Tencent gives up after ${TENCENT_TIMEOUT_MS} ms. Check the dashboard's DynamoDB latency and the "${namePrefix}/Slowest callbacks" saved query ` +
        '(coldStart, command); more memory shortens cold starts.',
    }),
    alarm('Api5xx', {
      metric: api.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      alarmDescription:
        'The callback API answered 5xx (> 0 in 5 minutes): an event could not be stored or the token could not be read (503), ' +
        'an unexpected error (500), or the function crashed, timed out or was throttled. Tencent got no acknowledgement, so an after-event is lost unless its retry is on. ' +
        `Run the "${namePrefix}/Rejections and failures" saved query to see the reasons.`,
    }),
    alarm('TableThrottles', {
      metric: putItemMetric(table, 'ThrottledRequests', cloudwatch.Stats.SUM),
      threshold: 0,
      alarmDescription:
        'DynamoDB throttled writes of callback events (ThrottledRequests for PutItem > 0 in 5 minutes). The SDK retries them, ' +
        'which slows the answer; writes that still fail go to the fallback queue (outcome "queued"). ' +
        "Check the table's write throttles on the dashboard and its on-demand throughput limits.",
    }),
    ...(settings.fallback === undefined ? [] : fallbackAlarms(settings.fallback, alarm)),
  ];
}

/** The fallback queue must stay nearly empty: events wait there only until the drain writes them. */
function fallbackAlarms(fallback: NonNullable<Settings['fallback']>, alarm: (id: string, props: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'alarmDescription'>) => cloudwatch.Alarm) {
  return [
    alarm('FallbackBacklog', {
      metric: fallback.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 300,
      alarmDescription:
        'An event has waited in the fallback queue for more than 5 minutes: the drain function cannot write to the table. ' +
        "The events are safe in the queue; each gets 20 tries (about an hour) before the dead-letter queue. Look at the drain function's log for 'drain failed' and at the table's health.",
    }),
    alarm('DeadLetters', {
      metric: fallback.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      alarmDescription:
        'Events failed to drain 20 times (about an hour) and are in the dead-letter queue (kept 14 days). Read the reason in the drain log, fix it, ' +
        'then move them back with the SQS console\'s "Start DLQ redrive" to the fallback queue: the idempotent write stores each once.',
    }),
  ];
}

/**
 * A topic for the alarms, with the address subscribed (the recipient must confirm the mail AWS sends).
 * Not encrypted at rest: CloudWatch cannot publish to a topic under the AWS-managed `alias/aws/sns` key
 * (that key's policy cannot grant it the key), and a customer-managed key would cost a monthly fee to
 * protect alarm names and metric values. cdk-nag 3's AwsSolutions pack does not ask for it (no SNS2);
 * it does ask for TLS (SNS3), which enforceSSL gives.
 */
function createAlarmTopic(scope: Construct, email: string, alarms: cloudwatch.Alarm[]): sns.Topic {
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName: 'Tencent IM callback alarms', enforceSSL: true });
  topic.addSubscription(new EmailSubscription(email));
  // enforceSSL gives the topic a policy of its own, which replaces SNS's default one: without this
  // statement CloudWatch would not be allowed to publish, and the alarms would fail silently.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowTheseAlarmsToPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
        ArnEquals: { 'aws:SourceArn': alarms.map((alarm) => alarm.alarmArn) },
      },
    }),
  );
  return topic;
}

// ---------------------------------------------------------------------------------------------------
// Dashboard

/** A metric search over one of the function's EMF metrics, one line per value of `dimension`. */
function emfSearch(namespace: string, metricName: string, dimension: string, statistic: string, label: string): cloudwatch.IMetric {
  return new cloudwatch.SearchExpression({
    // The exact dimension set Powertools writes ({service} plus the metric's own), so nothing else matches.
    expression: `SEARCH('{"${namespace}",${dimension},service} MetricName="${metricName}"', '${statistic}', ${PERIOD.toSeconds()})`,
    label: `${label} \${PROP('Dim.${dimension}')}`,
    period: PERIOD,
  });
}

/**
 * Callbacks summed over one of their two dimensions: a Metrics Insights query, since a SEARCH cannot
 * group (it would draw one line per command and outcome pair). Metrics Insights reads two weeks back.
 */
function callbacksBy(namespace: string, dimension: 'command' | 'outcome'): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: `SELECT SUM(${metricNames.callbacks}) FROM SCHEMA("${namespace}", command, outcome, service) GROUP BY ${dimension} ORDER BY SUM() DESC`,
    // The group's value: without a label CDK would name every line after the query.
    label: '${LABEL}',
    period: PERIOD,
  });
}

function durationWidget({ function: fn, api, latencyAlarmMs }: Settings): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: "Handler duration p50/p99 vs Tencent's 2 s budget",
    width: 12,
    left: [
      fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(50), label: 'function p50' }),
      fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99), label: 'function p99' }),
      // What Tencent waits for, give or take the network: API Gateway's own time and any cold start included.
      api.metricLatency({ period: PERIOD, statistic: cloudwatch.Stats.p(99), label: 'API p99' }),
    ],
    leftYAxis: { min: 0, label: 'ms', showUnits: false },
    leftAnnotations: [
      { value: TENCENT_TIMEOUT_MS, label: 'Tencent timeout (2 s)', color: cloudwatch.Color.RED },
      { value: latencyAlarmMs, label: `Alarm (${latencyAlarmMs} ms)`, color: cloudwatch.Color.ORANGE },
    ],
  });
}

function errorsWidget({ function: fn, api }: Settings): cloudwatch.GraphWidget {
  const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
  return new cloudwatch.GraphWidget({
    title: 'Errors and throttles',
    width: 12,
    left: [
      fn.metricErrors({ ...sum, label: 'function errors' }),
      fn.metricThrottles({ ...sum, label: 'function throttles' }),
      api.metricServerError({ ...sum, label: 'API 5xx' }),
      // Includes the stage's throttling (429) as well as the receiver's own 4xx answers.
      api.metricClientError({ ...sum, label: 'API 4xx' }),
    ],
    leftYAxis: { min: 0 },
  });
}

/** One of the table's per-operation metrics for PutItem, the only call the handler makes. */
function putItemMetric(table: dynamodb.ITable, metricName: string, statistic: string, label?: string): cloudwatch.Metric {
  return table.metric(metricName, { dimensionsMap: { TableName: table.tableName, Operation: 'PutItem' }, period: PERIOD, statistic, label });
}

function tableWidget({ table }: Settings): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: 'DynamoDB',
    width: 8,
    left: [
      putItemMetric(table, 'SuccessfulRequestLatency', cloudwatch.Stats.AVERAGE, 'PutItem latency avg'),
      putItemMetric(table, 'SuccessfulRequestLatency', cloudwatch.Stats.MAXIMUM, 'PutItem latency max'),
    ],
    leftYAxis: { min: 0, label: 'ms', showUnits: false },
    right: [
      putItemMetric(table, 'ThrottledRequests', cloudwatch.Stats.SUM, 'PutItem throttled'),
      // Counts throttled writes to the indexes too, which ThrottledRequests folds into one request.
      table.metric('WriteThrottleEvents', { period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'write throttle events' }),
    ],
    rightYAxis: { min: 0 },
  });
}

function createDashboard(scope: Construct, settings: Settings, alarms: cloudwatch.Alarm[]): cloudwatch.Dashboard {
  const { metricsNamespace: ns, logGroup, namePrefix } = settings;
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: namePrefix,
    defaultInterval: Duration.hours(3),
  });
  const graph = (title: string, width: number, left: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({ title, width, left, leftYAxis: { min: 0 } });

  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 3 }));
  dashboard.addWidgets(
    graph('Callbacks per command', 12, [callbacksBy(ns, 'command')]),
    graph('Outcomes', 12, [callbacksBy(ns, 'outcome')]),
  );
  dashboard.addWidgets(durationWidget(settings), errorsWidget(settings));
  dashboard.addWidgets(
    tableWidget(settings),
    graph('Rejections and failures by reason', 8, [
      emfSearch(ns, metricNames.rejections, 'reason', 'Sum', 'rejected:'),
      emfSearch(ns, metricNames.failures, 'reason', 'Sum', 'failed:'),
    ]),
    graph('Refusals by code, duplicates, queued', 8, [
      emfSearch(ns, metricNames.refusals, 'code', 'Sum', 'refused'),
      new cloudwatch.Metric({ namespace: ns, metricName: metricNames.duplicates, dimensionsMap: { service: SERVICE }, period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'duplicates (repeated deliveries)' }),
      new cloudwatch.Metric({ namespace: ns, metricName: metricNames.queued, dimensionsMap: { service: SERVICE }, period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'queued (the table was slow or down)' }),
    ]),
  );
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Latest callbacks',
      width: 24,
      height: 8,
      logGroupNames: [logGroup.logGroupName],
      queryLines: [
        'fields @timestamp, level, outcome, status, command, groupId, code, reason, durationMs, coldStart',
        `filter ${CALLBACK_RECORDS}`,
        'sort @timestamp desc',
        'limit 100',
      ],
    }),
  );
  return dashboard;
}

// ---------------------------------------------------------------------------------------------------
// Saved Logs Insights queries

/**
 * The questions asked of the callback records most often, saved in Logs Insights under the
 * `namePrefix` folder. Powertools Logger writes the record's fields at the top level of each JSON
 * line, so Logs Insights sees `outcome`, `groupId`, `durationMs`… as fields. REPLACE_WITH_… marks
 * what to fill in before running.
 */
function createQueries(scope: Construct, { logGroup, namePrefix }: Settings): logs.QueryDefinition[] {
  const query = (id: string, name: string, queryString: logs.QueryStringProps) =>
    new logs.QueryDefinition(scope, id, {
      queryDefinitionName: `${namePrefix}/${name}`,
      queryString: new logs.QueryString(queryString),
      logGroups: [logGroup],
    });

  return [
    query('GroupEventsQuery', "One group's events", {
      fields: ['@timestamp', 'command', 'outcome', 'status', 'eventId', 'topicId', 'operator', 'durationMs'],
      filterStatements: [CALLBACK_RECORDS, 'groupId = "REPLACE_WITH_GROUP_ID"'],
      sort: '@timestamp desc',
      limit: 1_000,
    }),
    query('RefusalsQuery', 'Refusals', {
      fields: ['@timestamp', 'code', 'command', 'operator', 'groupId', 'topicId', 'sdkAppId'],
      filterStatements: [CALLBACK_RECORDS, 'outcome = "refused"'],
      sort: '@timestamp desc',
      limit: 1_000,
    }),
    query('RejectionsQuery', 'Rejections and failures', {
      filterStatements: [CALLBACK_RECORDS, 'outcome in ["rejected", "failed"]'],
      statsStatements: ['count(*) as callbacks, latest(status) as lastStatus, latest(clientIp) as lastClientIp, latest(error.message) as lastError by outcome, reason'],
      sort: 'callbacks desc',
    }),
    query('SlowestQuery', 'Slowest callbacks', {
      fields: ['@timestamp', 'durationMs', 'command', 'kind', 'outcome', 'coldStart', 'groupId', 'requestId'],
      filterStatements: [CALLBACK_RECORDS],
      sort: 'durationMs desc',
      limit: 50,
    }),
    query('CommandOverTimeQuery', 'One command over time', {
      filterStatements: [CALLBACK_RECORDS, 'command = "REPLACE_WITH_COMMAND"'],
      statsStatements: ['count(*) as callbacks, pct(durationMs, 99) as p99Ms by bin(5m), outcome'],
    }),
  ];
}

/** The dashboard in the CloudWatch console, for a stack output. */
export function dashboardUrl(dashboard: cloudwatch.Dashboard): string {
  const region = Stack.of(dashboard).region;
  return `https://console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboard.dashboardName}`;
}
