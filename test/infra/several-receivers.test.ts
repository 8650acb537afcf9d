/**
 * Several receivers in one stack, say staging and production with their own SDKAppIDs: no id,
 * output, alarm, dashboard or query name is shared, each is wired to its own parts, and the one
 * deploy-time provider of the stack serves both.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { type Resource, statementsOf } from '../support/stack-template.ts';
import { receiverApps, twoReceivers } from './two-receivers.ts';

let template: Template;
const resources = (type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const names = (type: string, property: string) => resources(type).map(([, resource]) => String(resource.Properties[property]));

beforeAll(() => {
  template = Template.fromStack(twoReceivers().stack);
});

describe('two receivers in one stack', () => {
  test('synthesize side by side, each with all its parts', () => {
    expect(resources('AWS::ApiGatewayV2::Api')).toHaveLength(2);
    // Each: its events table, the deployed second-design one kept beside it, its state table, its policy counters.
    expect(resources('AWS::DynamoDB::Table')).toHaveLength(8);
    expect(resources('AWS::Events::EventBus')).toHaveLength(2);
    expect(resources('AWS::CloudWatch::Alarm')).toHaveLength(26);
    expect(resources('AWS::Events::Rule')).toHaveLength(2);
  });

  test('share no alarm, dashboard or saved query name, and add no output', () => {
    for (const [type, property] of [
      ['AWS::CloudWatch::Alarm', 'AlarmName'],
      ['AWS::CloudWatch::Dashboard', 'DashboardName'],
      ['AWS::Logs::QueryDefinition', 'Name'],
    ] as const) {
      const all = names(type, property);
      expect({ type, duplicates: all.filter((name, index) => all.indexOf(name) !== index) }).toEqual({ type, duplicates: [] });
    }
    expect(names('AWS::CloudWatch::Dashboard', 'DashboardName').sort()).toEqual(['Chat-Production', 'Chat-Staging']);
    expect(
      names('AWS::CloudWatch::Alarm', 'AlarmName')
        .filter((name) => name.endsWith('-FallbackBacklog'))
        .sort(),
    ).toEqual(['Chat-Production-FallbackBacklog', 'Chat-Staging-FallbackBacklog']);
    expect(template.toJSON().Outputs).toBeUndefined();
  });

  test('each accepts its own SDKAppIDs, and its rule matches its own apps on its own bus', () => {
    const callbacks = resources('AWS::Lambda::Function').filter(([id]) => /^(Staging|Production)CallbackFunction/.test(id));
    expect(Object.fromEntries(callbacks.map(([id, fn]) => [id.replace(/Callback.*/, ''), fn.Properties.Environment.Variables.IM_SDKAPPIDS]))).toEqual(
      receiverApps,
    );
    for (const [id, rule] of resources('AWS::Events::Rule')) {
      const receiver = id.startsWith('Staging') ? 'Staging' : 'Production';
      expect(rule.Properties.EventPattern.detail).toEqual({ sdkAppId: [receiverApps[receiver]] });
      expect(rule.Properties.EventBusName.Ref).toMatch(new RegExp(`^${receiver}FanOutBus`));
    }
  });

  test("share the stack's one deploy-time provider, whose role may set both dead-letter queues' allow policies, and leave no role or log group unused", () => {
    const provider = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const providers = resources('AWS::Lambda::Function').filter(([id]) => id.startsWith(provider));
    expect(providers).toHaveLength(1);
    const [[providerId, providerFunction]] = providers as [[string, Resource]];
    for (const [, setter] of resources('Custom::AWS')) expect(setter.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [providerId, 'Arn'] });
    const deadLetters = resources('AWS::SQS::Queue')
      .filter(([id]) => id.includes('FallbackDeadLetters'))
      .map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
    const setters = statementsOf(template, providerFunction.Properties.Role['Fn::GetAtt'][0]).filter(
      (statement) => statement.Action === 'sqs:SetQueueAttributes',
    );
    expect(setters.map((statement) => statement.Resource)).toEqual(expect.arrayContaining(deadLetters));
    expect(setters).toHaveLength(2);
    // Every role is some function's, or the one AppConfig reads a receiver's rollback alarm with; every log group some function's or the API's.
    const monitorRoles = resources('AWS::AppConfig::Environment').flatMap(([, environment]) =>
      (environment.Properties.Monitors as { AlarmRoleArn: { 'Fn::GetAtt': [string, string] } }[]).map((monitor) => monitor.AlarmRoleArn['Fn::GetAtt'][0]),
    );
    const functionRoles = [...resources('AWS::Lambda::Function').map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]), ...monitorRoles];
    expect(
      resources('AWS::IAM::Role')
        .map(([id]) => id)
        .filter((id) => !functionRoles.includes(id)),
    ).toEqual([]);
    const used = JSON.stringify([resources('AWS::Lambda::Function'), resources('AWS::ApiGatewayV2::Stage')]);
    expect(
      resources('AWS::Logs::LogGroup')
        .map(([id]) => id)
        .filter((id) => !used.includes(`"${id}"`)),
    ).toEqual([]);
  });
});
