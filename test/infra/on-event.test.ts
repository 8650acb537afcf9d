/**
 * `receiver.onEvent`: a rule on the receiver's bus for its own after-events, the CDK way
 * (`bucket.onCloudTrailEvent`), with the commands checked against the registry at synth.
 */
import { describe, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterCommands } from '../../functions/commands/registry.ts';
import { SettingsError } from '../../functions/shared/settings.ts';
import type { AfterCommand } from '../../infra/index.ts';
import { TencentImReceiver } from '../../infra/tencent-im-receiver.ts';
import { appWithoutBundling, only, type Resource } from '../support/stack-template.ts';

function stackWithReceiver() {
  const stack = new Stack(appWithoutBundling(), 'Test');
  const im = new TencentImReceiver(stack, 'Im', { sdkAppIds: ['1400000001', '1400000002'] });
  const fn = new lambda.Function(stack, 'Consumer', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = () => {}'),
  });
  return { stack, im, fn };
}

const rules = (template: Template) => Object.values(template.findResources('AWS::Events::Rule')) as Resource[];

describe('onEvent', () => {
  test("makes a rule on the receiver's bus: source tencent.im, the commands as detail-type, the receiver's SDKAppIDs, to the target", () => {
    const { stack, im, fn } = stackWithReceiver();
    const rule = im.onEvent('GroupMessages', { commands: ['Group.CallbackAfterSendMsg', 'Group.CallbackAfterRecallMsg'], target: new LambdaFunction(fn) });
    expect(rule.node.path).toBe('Test/Im/GroupMessages');
    const template = Template.fromStack(stack);
    const [busId] = only(template, 'AWS::Events::EventBus');
    const [created] = rules(template);
    expect(created!.Properties).toMatchObject({
      EventBusName: { Ref: busId },
      State: 'ENABLED',
      EventPattern: {
        source: ['tencent.im'],
        'detail-type': ['Group.CallbackAfterSendMsg', 'Group.CallbackAfterRecallMsg'],
        detail: { sdkAppId: ['1400000001', '1400000002'] },
      },
      Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] } })],
    });
    // And EventBridge may invoke the target.
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });

  test('without commands, matches every after-event of the receiver; without a target, takes one later', () => {
    const { stack, im, fn } = stackWithReceiver();
    im.onEvent('Everything').addTarget(new LambdaFunction(fn));
    const [rule] = rules(Template.fromStack(stack));
    expect(rule!.Properties.EventPattern).toEqual({ source: ['tencent.im'], detail: { sdkAppId: ['1400000001', '1400000002'] } });
    expect(rule!.Properties.Targets).toHaveLength(1);
  });

  test('takes every registered after-command', () => {
    const { stack, im } = stackWithReceiver();
    im.onEvent('All', { commands: afterCommands as AfterCommand[] });
    expect(rules(Template.fromStack(stack))[0]!.Properties.EventPattern['detail-type']).toEqual(afterCommands);
  });

  test.each([
    [
      'a misspelt command, naming the one meant',
      ['Group.CallbackAfterSendMessage'],
      /Test\/Im.onEvent\('Bad'\): Group.CallbackAfterSendMessage is no after-command of the registry; did you mean Group.CallbackAfterSendMsg\?/,
    ],
    ['a wrong case', ['group.callbackaftersendmsg'], /did you mean Group.CallbackAfterSendMsg\?/],
    [
      'a before-callback',
      ['Group.CallbackBeforeSendMsg'],
      /Group.CallbackBeforeSendMsg is a before-callback: it is answered, never stored, so never published/,
    ],
    ['a name like no command', ['Nothing.AtAll'], /Nothing.AtAll is no after-command of the registry \(npm run commands lists them\)/],
    ['an empty list', [], /commands is empty: leave it out for every command/],
  ])('refuses %s at synth, in one line', (_name, commands, message) => {
    const { im } = stackWithReceiver();
    const subscribe = () => im.onEvent('Bad', { commands: commands as AfterCommand[] });
    expect(subscribe).toThrow(SettingsError);
    expect(subscribe).toThrow(message);
  });
});
