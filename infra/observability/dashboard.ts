import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type CallbackMetric, callbackMetrics, recordFields as f, SERVICE_DIMENSION, SERVICE_NAME } from '../../functions/callback/metric-names.ts';
import { PERIOD, putItemMetric, TENCENT_TIMEOUT_MS } from './alarm-defaults.ts';
import { CALLBACK_RECORDS } from './saved-queries.ts';

export interface DashboardProps {
  readonly function: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
  readonly api: IHttpApi;
  readonly table: dynamodb.ITable;
  readonly metricsNamespace: string;
  readonly latencyAlarmMs: number;
  readonly namePrefix: string;
  /** Every alarm of the stack, whichever construct owns it: the status row shows them all. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Rows other constructs add below the receiver's own (each row: widgets side by side). */
  readonly widgets?: readonly (readonly cloudwatch.IWidget[])[];
}

/** The full dimension set a metric is emitted with: its own and `service` (functions/callback/emf.ts). */
const dimensionSet = (metric: CallbackMetric) => [...metric.dimensions, SERVICE_DIMENSION].join(',');

/** A metric search over one of the function's EMF metrics, one line per value of its one dimension. */
export function emfSearch(namespace: string, metric: CallbackMetric & { dimensions: readonly [string] }, statistic: string, label: string): cloudwatch.IMetric {
  return new cloudwatch.SearchExpression({
    // The exact dimension set the function writes, so nothing else matches.
    expression: `SEARCH('{"${namespace}",${dimensionSet(metric)}} MetricName="${metric.name}"', '${statistic}', ${PERIOD.toSeconds()})`,
    label: `${label} \${PROP('Dim.${metric.dimensions[0]}')}`,
    period: PERIOD,
  });
}

/** A metric emitted with `service` alone, summed. */
export const serviceMetric = (namespace: string, metric: CallbackMetric & { dimensions: readonly [] }, label: string) =>
  new cloudwatch.Metric({
    namespace,
    metricName: metric.name,
    dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAME },
    period: PERIOD,
    statistic: cloudwatch.Stats.SUM,
    label,
  });

/**
 * Callbacks summed over one of their two dimensions: a Metrics Insights query, since a SEARCH cannot
 * group (it would draw one line per command and outcome pair). Metrics Insights reads two weeks back.
 */
function callbacksBy(namespace: string, dimension: (typeof callbackMetrics.callbacks.dimensions)[number]): cloudwatch.IMetric {
  const { callbacks } = callbackMetrics;
  return new cloudwatch.MathExpression({
    expression: `SELECT SUM(${callbacks.name}) FROM SCHEMA("${namespace}", ${dimensionSet(callbacks).replace(/,/g, ', ')}) GROUP BY ${dimension} ORDER BY SUM() DESC`,
    // The group's value: without a label CDK would name every line after the query.
    label: '${LABEL}',
    period: PERIOD,
  });
}

function durationWidget({ function: fn, api, latencyAlarmMs }: DashboardProps): cloudwatch.GraphWidget {
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

function errorsWidget({ function: fn, api }: DashboardProps): cloudwatch.GraphWidget {
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

function tableWidget({ table }: DashboardProps): cloudwatch.GraphWidget {
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

/** The receiver's dashboard: alarm status, callbacks, duration, errors, the table, reasons, the latest records. */
export function createDashboard(scope: Construct, props: DashboardProps): cloudwatch.Dashboard {
  const { metricsNamespace: ns, logGroup, namePrefix, alarms } = props;
  const m = callbackMetrics;
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { dashboardName: namePrefix, defaultInterval: Duration.hours(3) });
  const graph = (title: string, width: number, left: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, width, left, leftYAxis: { min: 0 } });

  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms], width: 24, height: 3 }));
  dashboard.addWidgets(graph('Callbacks per command', 12, [callbacksBy(ns, 'command')]), graph('Outcomes', 12, [callbacksBy(ns, 'outcome')]));
  dashboard.addWidgets(durationWidget(props), errorsWidget(props));
  dashboard.addWidgets(
    tableWidget(props),
    graph('Rejections and failures by reason', 8, [emfSearch(ns, m.rejections, 'Sum', 'rejected:'), emfSearch(ns, m.failures, 'Sum', 'failed:')]),
    graph('Refusals by code, duplicates, queued', 8, [
      emfSearch(ns, m.refusals, 'Sum', 'refused'),
      serviceMetric(ns, m.duplicates, 'duplicates (repeated deliveries)'),
      serviceMetric(ns, m.queued, 'queued (the table was slow or down)'),
    ]),
  );
  for (const row of props.widgets ?? []) dashboard.addWidgets(...row);
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Latest callbacks',
      width: 24,
      height: 8,
      logGroupNames: [logGroup.logGroupName],
      queryLines: [
        `fields @timestamp, ${[f.level, f.outcome, f.status, f.command, f.groupId, f.code, f.reason, f.durationMs, f.coldStart].join(', ')}`,
        `filter ${CALLBACK_RECORDS}`,
        'sort @timestamp desc',
        'limit 100',
      ],
    }),
  );
  return dashboard;
}

/** The dashboard in the CloudWatch console, for a stack output. */
export function dashboardUrl(dashboard: cloudwatch.Dashboard): string {
  const region = Stack.of(dashboard).region;
  return `https://console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboard.dashboardName}`;
}
