import { Annotations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AlarmDefaults, ResolvedAlarmDefaults } from './observability/alarm-defaults.ts';
import { sendAlarms } from './observability/alarm-topic.ts';
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
  /** The namespace the function writes its EMF metrics to (setting `metricsNamespace`). Required. */
  readonly metricsNamespace: string;
  /** The p99 function duration, in ms, that raises the latency alarm (setting `latencyAlarmMs`). Required. */
  readonly latencyAlarmMs: number;
  /** Every alarm's defaults, resolved by the receiver; the prefix also names the dashboard and the saved queries' folder. Required. */
  readonly alarms: ResolvedAlarmDefaults;
  /** Where the alarms go: an action, or an address for the topic made for them. Required. */
  readonly alarmActions: Pick<AlarmDefaults, 'action' | 'email'>;
  /** Alarms other constructs own (the fallback queue's, …): shown on the dashboard and sent with the receiver's own. @default - none */
  readonly otherAlarms?: readonly cloudwatch.IAlarm[];
  /** Dashboard rows other constructs add, each a list of widgets side by side. @default - none */
  readonly widgets?: readonly (readonly cloudwatch.IWidget[])[];
}

/**
 * How the deployed receiver is doing, in one place: the receiver's alarms (receiver-alarms.ts) and
 * those other constructs pass in, all sent to one action, by default an SNS topic (alarm-topic.ts)
 * mailed when asked, a dashboard (dashboard.ts) and saved Logs Insights queries (saved-queries.ts).
 * The metric and field names are those the function writes: functions/callback/metric-names.ts.
 */
export class CallbackObservability extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The receiver's own alarms and those passed in. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Where every alarm and its all-clear go, unless the defaults named another action. */
  readonly alarmTopic?: sns.Topic;
  readonly queries: logs.QueryDefinition[];

  constructor(scope: Construct, id: string, props: CallbackObservabilityProps) {
    super(scope, id);
    const { alarms: defaults, latencyAlarmMs } = props;
    const own = createReceiverAlarms(this, { function: props.function, api: props.api, table: props.table, latencyAlarmMs, alarms: defaults });
    this.alarms = [...own, ...(props.otherAlarms ?? [])];
    this.alarmTopic = sendAlarms(this, this.alarms, props.alarmActions);
    if (this.alarmTopic !== undefined && props.alarmActions.email === undefined) {
      // The topic is made anyway, so a subscriber added outside the app (a pager, AWS Chatbot) needs no redeploy.
      Annotations.of(scope).addWarning(
        `No alarm e-mail: every alarm goes to the SNS topic ${this.alarmTopic.node.path} (alarmTopic), which has no subscriber, so nobody hears of them; ` +
          'set alarms.email (the alarmEmail setting) or alarms.action, or subscribe to the topic.',
      );
    }
    this.dashboard = createDashboard(this, {
      function: props.function,
      logGroup: props.logGroup,
      api: props.api,
      table: props.table,
      metricsNamespace: props.metricsNamespace,
      latencyAlarmMs,
      namePrefix: defaults.namePrefix,
      alarms: this.alarms,
      widgets: props.widgets,
    });
    this.queries = createSavedQueries(this, props.logGroup, defaults.namePrefix);
  }
}
