import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmNamePrefix } from './observability/alarm-defaults.ts';
import { alarmTopic } from './observability/alarm-topic.ts';
import { createDashboard } from './observability/dashboard.ts';
import { createReceiverAlarms } from './observability/receiver-alarms.ts';
import { createSavedQueries } from './observability/saved-queries.ts';

export { TENCENT_TIMEOUT_MS } from './observability/alarm-defaults.ts';
export { dashboardUrl } from './observability/dashboard.ts';

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
  /** An address subscribed to the alarms' SNS topic. @default - none: the topic has no subscriber until one is added */
  readonly alarmEmail?: string;
  /**
   * Names the dashboard, starts every alarm's name and is the saved queries' folder. Letters, digits,
   * `-` and `_`, as dashboard names require.
   * @default - the stack's name
   */
  readonly namePrefix?: string;
  /**
   * Alarms other constructs own (the fallback queue's, …): shown on the dashboard and mailed with
   * the receiver's own. @default - none
   */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /** Dashboard rows other constructs add, each a list of widgets side by side. @default - none */
  readonly widgets?: readonly (readonly cloudwatch.IWidget[])[];
}

/**
 * How the deployed receiver is doing, in one place: the receiver's alarms (receiver-alarms.ts) and
 * those other constructs pass in, all sent to an SNS topic (alarm-topic.ts), mailed when asked, a
 * dashboard (dashboard.ts) and saved Logs Insights queries (saved-queries.ts). The metric and field
 * names are those the function writes: functions/callback/metric-names.ts.
 */
export class CallbackObservability extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The receiver's own alarms and those passed in. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Where every alarm and its all-clear go; `alarmEmail`, when set, is subscribed. */
  readonly alarmTopic: sns.Topic;
  readonly queries: logs.QueryDefinition[];

  constructor(scope: Construct, id: string, props: CallbackObservabilityProps) {
    super(scope, id);
    const namePrefix = alarmNamePrefix(this, props.namePrefix);
    const latencyAlarmMs = props.latencyAlarmMs ?? 1_000;
    const own = createReceiverAlarms(this, { function: props.function, api: props.api, table: props.table, latencyAlarmMs, namePrefix });
    this.alarms = [...own, ...(props.alarms ?? [])];
    this.alarmTopic = alarmTopic(this, this.alarms, props.alarmEmail);
    this.dashboard = createDashboard(this, {
      ...props,
      metricsNamespace: props.metricsNamespace ?? 'TencentImCallbacks',
      latencyAlarmMs,
      namePrefix,
      alarms: this.alarms,
    });
    this.queries = createSavedQueries(this, props.logGroup, namePrefix);
  }
}
