/**
 * A team's CDK app with the Tencent IM receiver in it: `-c receivers=two` makes a staging and a
 * production receiver side by side, each with its own SDKAppID; otherwise one. A function of the
 * team's reads each receiver's group messages (consumer/group-messages.mjs). cdk-nag checks it all.
 */
import { join } from 'node:path';
import { App, CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TencentImReceiver } from 'tencent-im-callbacks';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const stack = new Stack(app, 'ChatApp');

const receivers: Record<string, string> =
  app.node.tryGetContext('receivers') === 'two' ? { Staging: '1400000001', Production: '1400000002' } : { Im: '1400000001' };

for (const [id, sdkAppId] of Object.entries(receivers)) {
  const im = new TencentImReceiver(stack, id, { sdkAppIds: [sdkAppId], alarms: { email: 'ops@example.com' } });

  // The team's function: a log group of its own and a role that may write only to it.
  const logGroup = new logs.LogGroup(stack, `${id}GroupMessagesLogs`, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const role = new iam.Role(stack, `${id}GroupMessagesRole`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const groupMessages = new lambda.Function(stack, `${id}GroupMessages`, {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'group-messages.handler',
    code: lambda.Code.fromAsset(join(import.meta.dirname, 'consumer')),
    logGroup,
    role,
  });
  im.onEvent('GroupMessages', { commands: ['Group.CallbackAfterSendMsg'], target: new LambdaFunction(groupMessages) });

  new CfnOutput(stack, `${id}CallbackUrl`, { value: im.callbackUrl, description: `Paste into the Chat console of ${sdkAppId}` });
}
