import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CALLBACK_METHOD, CALLBACK_PATH } from '../functions/callback/callback-event.ts';
import type { CallbackEnvironment } from '../functions/shared/function-environment.ts';
import { settingsToEnvironment } from '../functions/shared/settings.ts';
import { CallbackObservability, dashboardUrl } from './callback-observability.ts';
import { callbackTokenSecret } from './callback-token-secret.ts';
import { acknowledgeLogGroup, acknowledgeOpenCallbackRoute, acknowledgeTableEncryption, callbackAuthentication } from './control-tower-acknowledgements.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { EventFallbackQueue } from './event-fallback-queue.ts';
import { EventFanOut } from './event-fan-out.ts';
import { EventsTable } from './events-table.ts';
import { PolicyLayer } from './policy-layer.ts';
import { ReceiverFunction } from './receiver-function.ts';
import { SyncedState } from './synced-state.ts';

export interface CallbackStackProps extends StackProps {
  /** The validated settings (infra/deployment-settings.ts); the receiver's go to the function's environment. */
  readonly settings: DeploymentSettings;
}

/** One JSON line per request. No query string: with a token set, it carries the Sign. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    error: '$context.error.message',
  }),
);

/**
 * API Gateway (HTTP API) -> callback function -> events table. Environment-agnostic: no lookups, so
 * `cdk synth` runs offline without credentials.
 */
export class CallbackStack extends Stack {
  constructor(scope: Construct, id: string, props: CallbackStackProps) {
    super(scope, id, props);

    const { settings } = props;
    const { table } = new EventsTable(this, 'Events', { migrationStep: settings.eventsTableMigrationStep });
    acknowledgeTableEncryption(table);
    // A token unless the deployer opted out: settings.tokenSecret is `create` by default, and
    // undefined only with unsignedCallbacks=true (infra/deployment-settings.ts).
    const tokenSecret = settings.tokenSecret === undefined ? undefined : callbackTokenSecret(this, settings.tokenSecret);
    const signed = tokenSecret !== undefined;
    if (!signed) {
      Annotations.of(this).addWarning(
        'unsignedCallbacks=true: no callback token, so only the SDKAppID is checked and anyone who learns the callback URL can post events; drop the setting to deploy with a token.',
      );
    }

    const fallback = new EventFallbackQueue(this, 'Fallback', { table, tracing: settings.tracing });
    const policy = new PolicyLayer(this, 'Policy', { policy: settings.policy });
    const environment: Record<string, string> & CallbackEnvironment = {
      EVENTS_TABLE_NAME: table.tableName,
      FALLBACK_QUEUE_URL: fallback.queue.queueUrl,
      ...settingsToEnvironment(settings, { policy: policy.reference }),
    };
    if (tokenSecret !== undefined) environment.IM_TOKEN_SECRET = tokenSecret.secretArn;
    const callback = new ReceiverFunction(this, 'Callback', {
      entry: 'callback',
      environment,
      reservedConcurrency: settings.reservedConcurrency,
      tracing: settings.tracing,
      layers: [policy.layer],
    });
    tokenSecret?.grantRead(callback.function);
    fallback.queue.grantSendMessages(callback.function);
    // The handler only ever writes one event with a condition; it never reads, updates or deletes.
    // A statement of its own, not table.grant(), which would add the indexes' ARNs too.
    callback.function.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }));

    const api = new HttpApi(this, 'Api', {
      description: 'Tencent Cloud Chat third-party callbacks',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    acknowledgeLogGroup(accessLogs);
    // Throttled at the stage so a flood is turned away before it reaches (and is billed as) Lambda.
    api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: accessLogFormat,
      },
    });
    const routes = api.addRoutes({
      path: CALLBACK_PATH,
      methods: [HttpMethod[CALLBACK_METHOD]],
      integration: new HttpLambdaIntegration('CallbackIntegration', callback.function),
    });
    for (const route of routes) {
      acknowledgeOpenCallbackRoute(route, signed);
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Tencent Cloud Chat posts callbacks with no Authorization header and cannot be made to send one, so no API Gateway authorizer could pass them. ' +
          callbackAuthentication(signed),
      });
    }

    const fanOut = new EventFanOut(this, 'FanOut', {
      table,
      archiveDays: settings.fanOutArchiveDays,
      metricsNamespace: settings.metricsNamespace,
      tracing: settings.tracing,
    });
    // The synced view, fed by the events table's stream: off the callback's path.
    const state = new SyncedState(this, 'State', { eventsTable: table, tracing: settings.tracing });
    const observability = new CallbackObservability(this, 'Observability', {
      function: callback.function,
      logGroup: callback.logGroup,
      api,
      table,
      metricsNamespace: settings.metricsNamespace,
      latencyAlarmMs: settings.latencyAlarmMs,
      alarmEmail: settings.alarmEmail,
      alarms: [...fallback.alarms, ...fanOut.alarms, ...state.alarms],
      widgets: [fanOut.widgets],
    });

    new CfnOutput(this, 'CallbackUrl', {
      value: `${api.apiEndpoint}${CALLBACK_PATH}`,
      description: "Paste into the Chat console's callback URL setting",
    });
    new CfnOutput(this, 'EventsTableName', {
      value: table.tableName,
      description: 'The stored after-events: npm run events -- --table <this name>',
    });
    new CfnOutput(this, 'DashboardName', {
      value: observability.dashboard.dashboardName,
      description: 'The CloudWatch dashboard: callbacks, outcomes, latency against the 2 s budget, errors, DynamoDB',
    });
    new CfnOutput(this, 'DashboardUrl', { value: dashboardUrl(observability.dashboard), description: 'The dashboard in the CloudWatch console' });
    new CfnOutput(this, 'LogGroupName', {
      value: callback.logGroup.logGroupName,
      description: `The callback records; saved Logs Insights queries are in the ${this.stackName}/ folder`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: observability.alarmTopic.topicArn,
      description:
        settings.alarmEmail === undefined
          ? 'Where every alarm and its all-clear are sent: subscribe to it (or deploy with alarmEmail), or nobody hears of them'
          : 'Where every alarm and its all-clear are sent: confirm the subscription e-mail AWS sends to alarmEmail',
    });
    if (settings.alarmEmail === undefined) {
      // The topic is made anyway, so a subscriber added outside the stack (a pager, AWS Chatbot) needs no redeploy.
      Annotations.of(this).addWarning(
        'No alarmEmail: every alarm goes to the SNS topic in the AlarmTopicArn output, which has no subscriber, so nobody hears of them; set alarmEmail or subscribe to the topic.',
      );
    }
  }
}
