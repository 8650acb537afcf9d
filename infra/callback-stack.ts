import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { dashboardUrl } from './callback-observability.ts';
import { secretByReference } from './callback-token-secret.ts';
import { CREATE_TOKEN_SECRET, type DeploymentSettings } from './deployment-settings.ts';
import { stackOutputNames as names } from './stack-output-names.ts';
import { TencentImReceiver } from './tencent-im-receiver.ts';

export interface CallbackStackProps extends StackProps {
  /** The validated settings (infra/deployment-settings.ts, read from context by infra/strict-context.ts). */
  readonly settings: DeploymentSettings;
}

/**
 * This repository's own deployment: one TencentImReceiver made from the settings in cdk.json (or
 * `-c`), and the outputs an operator reads. Environment-agnostic: no lookups, so `cdk synth` runs
 * offline without credentials.
 */
export class CallbackStack extends Stack {
  readonly receiver: TencentImReceiver;

  constructor(scope: Construct, id: string, props: CallbackStackProps) {
    super(scope, id, props);
    const { tokenSecret, alarmEmail, tencentCredentialsSecret, tencentDomain, ...settings } = props.settings;

    // `Default` leaves the receiver out of every logical id (and of the alarm names' prefix): the
    // resources keep the ids they had when this stack made them itself, so a deployed stack updates
    // in place (test/infra/deployed-upgrade.test.ts).
    this.receiver = new TencentImReceiver(this, 'Default', {
      ...settings,
      // A token unless the deployer opted out: tokenSecret is `create` by default, and undefined only
      // with unsignedCallbacks=true (infra/deployment-settings.ts).
      callbackToken: tokenSecret === undefined || tokenSecret === CREATE_TOKEN_SECRET ? undefined : secretByReference(this, 'CallbackToken', tokenSecret),
      alarms: { email: alarmEmail },
      tencentApi:
        tencentCredentialsSecret === undefined
          ? undefined
          : { credentials: secretByReference(this, 'TencentCredentials', tencentCredentialsSecret), domain: tencentDomain },
    });
    const { receiver } = this;

    new CfnOutput(this, names.callbackUrl, { value: receiver.callbackUrl, description: "Paste into the Chat console's callback URL setting" });
    if (tokenSecret === CREATE_TOKEN_SECRET && receiver.callbackToken !== undefined) {
      new CfnOutput(this, names.callbackTokenSecret, {
        value: receiver.callbackToken.secretArn,
        description: 'The token to set in the Chat console: aws secretsmanager get-secret-value --query SecretString --output text --secret-id <this ARN>',
      });
    }
    new CfnOutput(this, names.eventsTableName, {
      value: receiver.eventsTable.tableName,
      description: 'The stored after-events: npm run events -- --table <this name>',
    });
    if (receiver.previousEventsTable !== undefined) {
      new CfnOutput(this, names.oldEventsTableName, {
        value: receiver.previousEventsTable.tableName,
        description: 'The events of the second key design, until copied: npm run events -- --migrate --stack <this stack>',
      });
    }
    new CfnOutput(this, 'DashboardName', {
      value: receiver.dashboard.dashboardName,
      description: 'The CloudWatch dashboard: callbacks, outcomes, latency against the 2 s budget, errors, DynamoDB',
    });
    new CfnOutput(this, 'DashboardUrl', { value: dashboardUrl(receiver.dashboard), description: 'The dashboard in the CloudWatch console' });
    new CfnOutput(this, 'LogGroupName', {
      value: receiver.callbackLogGroup.logGroupName,
      description: `The callback records; saved Logs Insights queries are in the ${this.stackName}/ folder`,
    });
    if (receiver.alarmTopic !== undefined) {
      new CfnOutput(this, 'AlarmTopicArn', {
        value: receiver.alarmTopic.topicArn,
        description:
          alarmEmail === undefined
            ? 'Where every alarm and its all-clear are sent: subscribe to it (or deploy with alarmEmail), or nobody hears of them'
            : 'Where every alarm and its all-clear are sent: confirm the subscription e-mail AWS sends to alarmEmail',
      });
    }
    if (receiver.eventBus !== undefined) {
      new CfnOutput(this, names.eventBusName, {
        value: receiver.eventBus.eventBusName,
        description: 'The bus every stored after-event is published on (source tencent.im): attach your rules here',
      });
      new CfnOutput(this, 'EventBusArn', { value: receiver.eventBus.eventBusArn, description: 'The event bus, for rules and permissions in other stacks' });
    }
    // What `npx tencent-im doctor` reads (docs/production.md#doctor): where the alarms, metrics and queues are.
    new CfnOutput(this, names.alarmNamePrefix, { value: receiver.alarmNamePrefix, description: "What every alarm's name starts with" });
    new CfnOutput(this, names.metricsNamespace, { value: settings.metricsNamespace, description: "The CloudWatch namespace of the receiver's metrics" });
    const queues = [
      [names.fallbackQueueUrl, receiver.fallbackQueue, 'After-events the table could not take in time, waiting for the drain'],
      [names.deadLetterQueueUrl, receiver.deadLetterQueue, "The fallback's dead letters, kept 14 days for a person"],
      [names.fanOutFailureQueueUrl, receiver.fanOutFailureQueue, 'Events the fan-out could not publish'],
      [names.stateFailureQueueUrl, receiver.stateFailureQueue, 'Events the synced view could not take'],
    ] as const;
    for (const [name, queue, description] of queues) if (queue !== undefined) new CfnOutput(this, name, { value: queue.queueUrl, description });
    if (tencentCredentialsSecret !== undefined) {
      new CfnOutput(this, names.tencentCredentialsSecret, {
        value: tencentCredentialsSecret,
        description: "The secret of Tencent's REST admin credentials, as given (name or ARN): doctor reads Live's and Call's callback URLs with it",
      });
      if (tencentDomain !== undefined)
        new CfnOutput(this, names.tencentDomain, { value: tencentDomain, description: "The REST API's domain (data centre) those credentials are used with" });
    }
    if (receiver.stateTable !== undefined) {
      new CfnOutput(this, 'StateTableName', {
        value: receiver.stateTable.tableName,
        description: 'The synced view: npm run state -- --table <this name> --group ID',
      });
    }
  }
}
