/**
 * A team's stack with two receivers side by side, staging and production, each with its own
 * SDKAppID and a rule to a consumer: what several-receivers.test.ts, cdk-nag.test.ts and
 * cfn-guard.test.ts synthesize.
 */
import { type App, Stack } from 'aws-cdk-lib';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { TencentImReceiver } from '../../infra/tencent-im-receiver.ts';
import { appWithoutBundling } from '../support/stack-template.ts';

export const receiverApps = { Staging: '1400000001', Production: '1400000002' } as const;

export function twoReceivers(app: App = appWithoutBundling()) {
  const stack = new Stack(app, 'Chat');
  const receivers = Object.entries(receiverApps).map(([id, sdkAppId]) => {
    const receiver = new TencentImReceiver(stack, id, { sdkAppIds: [sdkAppId], alarms: { email: `${id.toLowerCase()}@example.com` } });
    const consumer = new lambda.Function(stack, `${id}Consumer`, {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
    // The same rule id in each: the receivers' own scopes keep them apart.
    receiver.onEvent('Messages', { commands: ['Group.CallbackAfterSendMsg'], target: new LambdaFunction(consumer) });
    return receiver;
  });
  return { app, stack, receivers };
}
