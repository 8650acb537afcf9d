import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { type CanaryResult, canaryMetrics, canaryResults, SERVICE_DIMENSION, SERVICE_NAME } from '../functions/callback/metric-names.ts';
import type { CanaryEnvironment } from '../functions/canary/canary-environment.ts';
import { eventsTable as eventsTableDesign } from '../functions/store/events-table.ts';
import { PERIOD, receiverAlarm } from './observability/alarm-defaults.ts';
import type { CanarySettings } from './production-settings.ts';
import { type ScheduledJobProps, scheduledJob } from './scheduled-job.ts';

export interface ReceiverCanaryProps extends ScheduledJobProps {
  /** Where the canary looks for its message's callback. Required. */
  readonly eventsTable: dynamodb.ITable;
  readonly settings: CanarySettings;
}

/** The seconds a run may take besides its wait: a cold start, the credentials, the send and its retries. */
const RUN_OVERHEAD = Duration.seconds(60);

/**
 * The canary (docs/production.md#canary): a function run every `every` that sends a marked message
 * through Tencent's REST API and waits up to `wait` for its callback in the events table
 * (functions/canary/), its alarms (CanaryMissing, CanaryErrors) and its dashboard row. A run that
 * fails is not retried: the next one checks again.
 */
export class ReceiverCanary extends Construct {
  readonly function: lambda.Function;
  readonly schedule: events.Rule;
  readonly alarms: cloudwatch.Alarm[];
  readonly widgets: cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: ReceiverCanaryProps) {
    super(scope, id);
    const { settings, metricsNamespace: namespace, alarms: defaults } = props;
    const environment: Record<keyof CanaryEnvironment | 'POWERTOOLS_METRICS_NAMESPACE', string | undefined> = {
      EVENTS_TABLE_NAME: props.eventsTable.tableName,
      CANARY_WAIT_MS: String(settings.wait.toMilliseconds()),
      POWERTOOLS_METRICS_NAMESPACE: namespace,
      CANARY_GROUP: settings.group,
      CANARY_ACCOUNT: settings.account,
      CANARY_SENDER: settings.sender,
      // Set from the secret by useTencentApi.
      TENCENT_CREDENTIALS_SECRET: undefined,
      TENCENT_DOMAIN: undefined,
      TENCENT_BASE_URL: undefined,
    };
    const job = scheduledJob(this, props, {
      entry: 'canary',
      environment,
      memorySize: 256,
      timeout: settings.wait.plus(RUN_OVERHEAD),
      every: settings.every,
      description: `Tencent IM canary of ${scope.node.path}: a message every ${settings.every.toHumanString()}`,
      maxEventAge: Duration.seconds(Math.max(60, settings.every.toSeconds())),
    });
    this.function = job.function;
    this.schedule = job.schedule;
    // It lists a group's or an account's events as the store's reader does (functions/store/read/): the
    // subject's markers by key, a Query of its place keys (the table) and actor keys (the byActor index),
    // then the items by key. Nothing else, and the index by name.
    const { tableArn } = props.eventsTable;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'],
        resources: [tableArn, `${tableArn}/index/${eventsTableDesign.byActor.indexName}`],
      }),
    );

    const checks = (result: CanaryResult, statistic: string = cloudwatch.Stats.SUM, label?: string) =>
      new cloudwatch.Metric({
        namespace,
        metricName: canaryMetrics.checks.name,
        dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAME, [canaryMetrics.checks.dimensions[0]]: result },
        period: PERIOD,
        statistic,
        label,
      });
    const latency = (statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace,
        metricName: canaryMetrics.latency.name,
        dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAME },
        period: PERIOD,
        statistic,
        label,
      });
    const to = settings.group === undefined ? `account ${settings.account}` : `group ${settings.group}`;
    this.alarms = [
      receiverAlarm(this, 'CanaryMissing', defaults, {
        metric: checks('missing'),
        threshold: 0,
        description:
          `The canary's message to ${to} was sent through Tencent's REST API but its callback was not stored within ${settings.wait.toHumanString()}: ` +
          "callbacks are not arriving. Check the Chat console's callback switch, URL and token, then the receiver's other alarms.",
      }),
      receiverAlarm(this, 'CanaryErrors', defaults, {
        metric: this.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        description:
          "The canary could not check: Tencent's REST API refused its message (credentials, the group or account), or the run failed. " +
          "The canary function's last ERROR line says what to fix.",
      }),
    ];
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Canary: send to stored',
        width: 12,
        left: [latency(cloudwatch.Stats.AVERAGE, 'latency avg'), latency(cloudwatch.Stats.MAXIMUM, 'latency max')],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Canary checks',
        width: 12,
        left: canaryResults.map((result) => checks(result, cloudwatch.Stats.SUM, result)),
        leftYAxis: { min: 0 },
      }),
    ];
  }
}
