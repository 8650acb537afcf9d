import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { driftKinds, reconcileMetrics, reconcileResults, SERVICE_DIMENSION, SERVICE_NAME } from '../functions/callback/metric-names.ts';
import type { ReconcileEnvironment } from '../functions/reconcile/reconcile-environment.ts';
import { PERIOD, receiverAlarm } from './observability/alarm-defaults.ts';
import type { ReconcileSettings } from './production-settings.ts';
import { type ScheduledJobProps, scheduledJob } from './scheduled-job.ts';

export interface ReceiverReconcileProps extends ScheduledJobProps {
  /** The synced view's table, read and repaired. Required. */
  readonly stateTable: dynamodb.ITable;
  readonly settings: ReconcileSettings;
}

/** A run's longest: Lambda's. It stops a minute before, reporting the groups it did not reach. */
const RUN_TIMEOUT = Duration.minutes(15);

/**
 * The reconciliation (docs/production.md#reconcile): a function run every `every` that compares the
 * synced view with Tencent's get_group_info and get_group_member_info and repairs it
 * (functions/reconcile/), its alarm (ReconcileErrors) and its dashboard row (drift by kind, groups).
 */
export class ReceiverReconcile extends Construct {
  readonly function: lambda.Function;
  readonly schedule: events.Rule;
  readonly alarms: cloudwatch.Alarm[];
  readonly widgets: cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: ReceiverReconcileProps) {
    super(scope, id);
    const { settings, metricsNamespace: namespace, alarms: defaults } = props;
    const environment: Record<keyof ReconcileEnvironment, string | undefined> & { POWERTOOLS_METRICS_NAMESPACE: string } = {
      STATE_TABLE_NAME: props.stateTable.tableName,
      RECONCILE_GROUPS: JSON.stringify(settings.groups),
      RECONCILE_VIEW_GROUPS: String(settings.viewGroups),
      RECONCILE_CALLS_PER_SECOND: String(settings.callsPerSecond),
      RECONCILE_MAX_GROUPS: String(settings.maxGroups),
      POWERTOOLS_METRICS_NAMESPACE: namespace,
      // Set from the secret by useTencentApi.
      TENCENT_CREDENTIALS_SECRET: undefined,
      TENCENT_DOMAIN: undefined,
      TENCENT_BASE_URL: undefined,
    };
    const job = scheduledJob(this, props, {
      entry: 'reconcile',
      environment,
      timeout: RUN_TIMEOUT,
      every: settings.every,
      description: `Tencent IM reconciliation of ${scope.node.path}: every ${settings.every.toHumanString()}`,
    });
    this.function = job.function;
    this.schedule = job.schedule;
    // It lists the view's groups, reads each, and merges its repairs as the state consumer does (a
    // conditional put): functions/synced-view/dynamodb-state-store.ts.
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], resources: [props.stateTable.tableArn] }),
    );

    const emf = (metricName: string, dimension: string, value: string) =>
      new cloudwatch.Metric({
        namespace,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAME, [dimension]: value },
        period: PERIOD,
        statistic: cloudwatch.Stats.SUM,
        label: value,
      });
    this.alarms = [
      receiverAlarm(this, 'ReconcileErrors', defaults, {
        metric: this.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        description:
          "A reconciliation run failed: Tencent's REST API refused the admin credentials, or the state table could not be read or written. " +
          "The reconciliation function's last ERROR line says what to fix.",
      }),
    ];
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Reconciliation: differences found and repaired',
        width: 12,
        left: driftKinds.map((kind) => emf(reconcileMetrics.drift.name, reconcileMetrics.drift.dimensions[0], kind)),
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Reconciliation: groups',
        width: 12,
        left: reconcileResults.map((result) => emf(reconcileMetrics.groups.name, reconcileMetrics.groups.dimensions[0], result)),
        leftYAxis: { min: 0 },
      }),
    ];
  }
}
