import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { AlarmDefaults } from './alarm-defaults.ts';

/**
 * The topic every alarm publishes to, its all-clear included, unless the alarm defaults name another
 * action: so a dead letter or a failed stream batch always has somewhere to go, with `email` subscribed
 * when given (the recipient must confirm the mail AWS sends). Anyone may subscribe more: a team's
 * address, AWS Chatbot, a pager.
 * Not encrypted at rest: CloudWatch cannot publish to a topic under the AWS-managed `alias/aws/sns` key
 * (that key's policy cannot grant it the key), and a customer-managed key would cost a monthly fee to
 * protect alarm names and metric values. cdk-nag 3's AwsSolutions pack does not ask for it (no SNS2);
 * it does ask for TLS (SNS3), which enforceSSL gives.
 */
function alarmTopic(scope: Construct, alarms: readonly cloudwatch.IAlarm[], email?: string): sns.Topic {
  // `AlarmTopic`, as when it was made only with an address: the topic and its subscription keep their ids.
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName: 'Tencent IM callback alarms', enforceSSL: true });
  if (email !== undefined) topic.addSubscription(new EmailSubscription(email));
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

/**
 * Sends every alarm, and its all-clear, to the action the defaults name, or else to a topic made for
 * them (returned). Called once every alarm exists: the topic's policy names each.
 */
export function sendAlarms(scope: Construct, alarms: readonly cloudwatch.IAlarm[], defaults: Pick<AlarmDefaults, 'action' | 'email'>): sns.Topic | undefined {
  const topic = defaults.action === undefined ? alarmTopic(scope, alarms, defaults.email) : undefined;
  const action = defaults.action ?? new SnsAction(topic!);
  for (const alarm of alarms) {
    // An imported alarm (IAlarm alone) has no actions of ours to set.
    if (!(alarm instanceof cloudwatch.AlarmBase)) continue;
    alarm.addAlarmAction(action);
    // Also the all-clear, so a mailbox shows when the problem ended, not only when it began.
    alarm.addOkAction(action);
  }
  return topic;
}
