/**
 * TencentImReceiver on its own, in a fresh stack as a team's app would use it: its props (each
 * optional but the SDKAppIDs, every problem reported at once), what it exposes, what can be brought
 * in or switched off, and its alarms' defaults. CallbackStack's use of it is tested through the
 * stack (callback-stack.test.ts and the others).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as v from 'valibot';
import { policyTarget } from '../../cli/policy-deploy.ts';
import { SettingsError } from '../../functions/shared/settings.ts';
import { ReceiverPropsSchema, type TencentImReceiverProps } from '../../infra/receiver-props.ts';
import { TencentImReceiver } from '../../infra/tencent-im-receiver.ts';
import { appWithoutBundling, only, type Resource, synthWarnings } from '../support/stack-template.ts';
import { twoReceivers } from './two-receivers.ts';

const SDK_APP_ID = '1400000001';

/** A receiver `Im` in a fresh stack `Test`, with these props over the SDKAppID; the template is synthesized when first read. */
function receiver(props: Partial<TencentImReceiverProps> = {}, before?: (stack: Stack) => Partial<TencentImReceiverProps>) {
  const app = appWithoutBundling();
  const stack = new Stack(app, 'Test');
  const im = new TencentImReceiver(stack, 'Im', { sdkAppIds: [SDK_APP_ID], ...props, ...before?.(stack) });
  let template: Template | undefined;
  return {
    app,
    stack,
    im,
    get template() {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}

const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const alarmProperties = (template: Template) => resources(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
const ref = (value: string) => Stack.of(defaults.im).resolve(value);

let defaults: ReturnType<typeof receiver>;
beforeAll(() => {
  defaults = receiver();
});

describe('TencentImReceiver with its defaults', () => {
  test('makes what the stack made, and the policy’s: the API, six functions (the policy validator), four tables (the events table, the deployed second-design one kept, the state table, the policy counters), the bus and its archive, four queues, a secret, thirteen alarms, a dashboard, the policy’s AppConfig', () => {
    const { template } = defaults;
    const count = (type: string) => resources(template, type).length;
    expect({
      apis: count('AWS::ApiGatewayV2::Api'),
      functions: count('AWS::Lambda::Function'),
      tables: count('AWS::DynamoDB::Table'),
      buses: count('AWS::Events::EventBus'),
      archives: count('AWS::Events::Archive'),
      queues: count('AWS::SQS::Queue'),
      secrets: count('AWS::SecretsManager::Secret'),
      alarms: count('AWS::CloudWatch::Alarm'),
      dashboards: count('AWS::CloudWatch::Dashboard'),
      topics: count('AWS::SNS::Topic'),
      appConfigProfiles: count('AWS::AppConfig::ConfigurationProfile'),
    }).toEqual({ apis: 1, functions: 6, tables: 4, buses: 1, archives: 1, queues: 4, secrets: 1, alarms: 13, dashboards: 1, topics: 1, appConfigProfiles: 1 });
  });

  test('adds no stack outputs: the stack that uses it chooses its own', () => {
    expect(defaults.template.toJSON().Outputs).toBeUndefined();
  });

  test('exposes what a team wires to: the API and its URL, the function, the tables, the bus, the queues, the alarms, the dashboard, the topic', () => {
    const { im, template } = defaults;
    const [apiId] = only(template, 'AWS::ApiGatewayV2::Api');
    expect(ref(im.callbackUrl)).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/callback']] });
    expect(ref(im.api.apiId)).toEqual({ Ref: apiId });
    expect(ref(im.callbackFunction.functionName)).toEqual({
      Ref: resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCallback'))![0],
    });
    expect(ref(im.eventsTable.tableName)).toEqual({ Ref: resources(template, 'AWS::DynamoDB::Table').find(([id]) => id.startsWith('ImEvents'))![0] });
    expect(ref(im.stateTable!.tableName)).toEqual({ Ref: resources(template, 'AWS::DynamoDB::Table').find(([id]) => id.startsWith('ImStateTable'))![0] });
    expect(ref(im.eventBus!.eventBusName)).toEqual({ Ref: only(template, 'AWS::Events::EventBus')[0] });
    const queueIds = [im.fallbackQueue, im.deadLetterQueue, im.fanOutFailureQueue!, im.stateFailureQueue!].map((queue) => ref(queue.queueUrl));
    expect(queueIds.map((each) => each.Ref).sort()).toEqual(
      resources(template, 'AWS::SQS::Queue')
        .map(([id]) => id)
        .sort(),
    );
    expect(im.alarms).toHaveLength(13);
    expect(ref(im.alarmTopic!.topicArn)).toEqual({ Ref: only(template, 'AWS::SNS::Topic')[0] });
    expect(only(template, 'AWS::CloudWatch::Dashboard')[1].Properties.DashboardName).toBe('Test-Im');
    expect(ref(im.callbackToken!.secretArn)).toEqual({ Ref: only(template, 'AWS::SecretsManager::Secret')[0] });
  });

  test('names its alarms and dashboard after the stack and its own id, so two receivers never share a name', () => {
    const names = alarmProperties(defaults.template).map((alarm) => alarm.AlarmName as string);
    expect(names.every((name) => name.startsWith('Test-Im-'))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  test('every alarm cites its runbook entry, docs/operations.md#alarm-<kebab-case name>', () => {
    const cited = alarmProperties(defaults.template).map((alarm) => [
      alarm.AlarmName.replace('Test-Im-', ''),
      /Runbook: (\S+)$/.exec(alarm.AlarmDescription)?.[1],
    ]);
    expect(Object.fromEntries(cited)).toEqual({
      FunctionErrors: 'docs/operations.md#alarm-function-errors',
      SlowCallbacks: 'docs/operations.md#alarm-slow-callbacks',
      Api5xx: 'docs/operations.md#alarm-api-5xx',
      TableThrottles: 'docs/operations.md#alarm-table-throttles',
      FallbackBacklog: 'docs/operations.md#alarm-fallback-backlog',
      DeadLetters: 'docs/operations.md#alarm-dead-letters',
      FanOutErrors: 'docs/operations.md#alarm-fan-out-errors',
      FanOutIteratorAge: 'docs/operations.md#alarm-fan-out-iterator-age',
      FanOutFailedEntries: 'docs/operations.md#alarm-fan-out-failed-entries',
      FanOutFailures: 'docs/operations.md#alarm-fan-out-failures',
      StateConsumerErrors: 'docs/operations.md#alarm-state-consumer-errors',
      StateLag: 'docs/operations.md#alarm-state-lag',
      StateFailures: 'docs/operations.md#alarm-state-failures',
    });
  });

  test('warns, in one line each, of nothing but the alarm topic without a subscriber', () => {
    const { app, stack } = receiver();
    expect(synthWarnings(app, stack)).toEqual([
      expect.stringMatching(/^No alarm e-mail: every alarm goes to the SNS topic Test\/Im\/Observability\/AlarmTopic /),
    ]);
  });
});

describe('its props', () => {
  test('report every problem at once, in one error naming the receiver, with the name meant for a misspelt one', () => {
    const bad = {
      sdkAppIds: ['abc'],
      sdkAppId: '1400000001',
      eventRetentionDays: 0,
      alarms: { email: 'ops', colour: 'red', period: Duration.seconds(45) },
      eventsTableProps: { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } },
      logRetention: 31,
      unsignedCallbacks: true,
      callbackToken: 'create',
    } as unknown as TencentImReceiverProps;
    const make = () => new TencentImReceiver(new Stack(appWithoutBundling(), 'Test'), 'Im', bad);
    expect(make).toThrow(SettingsError);
    let message = '';
    try {
      make();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'TencentImReceiver Test/Im: invalid props:',
      '  - sdkAppId: not a prop of TencentImReceiver; did you mean sdkAppIds?',
      '  - sdkAppIds at 0: an SDKAppID is a number such as 1400000000',
      expect.stringMatching(/^ {2}- eventRetentionDays: .*>=1/),
      expect.stringMatching(/^ {2}- eventsTableProps: may set tableName, .*; not partitionKey \(the key design, indexes, stream and TTL are the receiver's\)$/),
      '  - logRetention: must be a logs.RetentionDays value',
      '  - alarms at email: must be an e-mail address',
      '  - alarms at period: must be 10 s, 30 s or whole minutes',
      expect.stringMatching(/^ {2}- alarms at colour: is not one of the alarm defaults/),
      '  - unsignedCallbacks: cannot be true while callbackToken is set: drop one of them',
    ]);
  });

  test.each([
    [
      'existingEventsTable with eventsTableProps',
      { eventsTableProps: { tableName: 'x' } },
      /eventsTableProps: is for the table the receiver makes; not with existingEventsTable/,
    ],
    [
      'eventBus with fanOutArchiveDays',
      { eventBus: 'bus', fanOutArchiveDays: 30 },
      /fanOutArchiveDays: archives the bus the receiver makes; not with eventBus/,
    ],
    ['eventBus with fanOut: false', { eventBus: 'bus', fanOut: false }, /eventBus: is the fan-out's, which fanOut: false switches off/],
    [
      'alarms.action with alarms.email',
      { alarms: { action: 'action', email: 'ops@example.com' } },
      /alarms.email: is subscribed to the topic the receiver makes, which alarms.action replaces/,
    ],
    [
      'more datapoints than periods',
      { alarms: { evaluationPeriods: 2, datapointsToAlarm: 3 } },
      /alarms.datapointsToAlarm: cannot be more than evaluationPeriods/,
    ],
  ])('refuse %s', (_name, props, message) => {
    const make = () =>
      receiver({}, (stack) => {
        const table = dynamodb.Table.fromTableAttributes(stack, 'Table', {
          tableName: 't',
          tableStreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/1',
        });
        const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'theirs');
        const topic = new SnsAction(sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:theirs'));
        const resolved = JSON.parse(JSON.stringify(props), (_key, value) => (value === 'bus' ? bus : value === 'action' ? topic : value));
        return { ...resolved, ...('eventsTableProps' in props ? { existingEventsTable: table } : {}) };
      });
    expect(make).toThrow(message);
  });

  test("take their defaults from the settings' schemas, as their documentation says", () => {
    // Each `@default` written in receiver-props.ts is the schema's: one source, checked here.
    const source = readFileSync(join(import.meta.dirname, '../../infra/receiver-props.ts'), 'utf8');
    const documented = [...source.matchAll(/@default ([^*\n]+?)\s*\*\/\n\s+readonly (\w+)\?/g)].map(([, text, name]) => [name!, text!.trim()] as const);
    expect(documented.length).toBeGreaterThan(15);
    for (const [name, text] of documented) {
      if (text.startsWith('-')) continue; // "none", or said in words
      const entry = ReceiverPropsSchema.entries[name as keyof typeof ReceiverPropsSchema.entries];
      const value = v.getDefault(entry as v.GenericSchema);
      const written = text === 'logs.RetentionDays.ONE_MONTH' ? RetentionDays.ONE_MONTH : JSON.parse(text);
      expect({ name, value }).toEqual({ name, value: written });
    }
  });
});

test('docs/construct.md lists every prop, with the default the code documents', () => {
  const source = readFileSync(join(import.meta.dirname, '../../infra/receiver-props.ts'), 'utf8');
  const documented = Object.fromEntries(
    [...source.matchAll(/@default ([^*\n]+?)\s*\*\/\n\s+readonly (\w+)\?/g)].map(([, text, name]) => [name!, text!.trim()]),
  );
  const page = readFileSync(join(import.meta.dirname, '../../docs/construct.md'), 'utf8');
  const table = page.slice(page.indexOf('<a id="construct-props"></a>'), page.indexOf('<a id="construct-alarms"></a>'));
  const rows = Object.fromEntries([...table.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map(([, name, value]) => [name!, value!.trim()]));
  expect(Object.keys(rows).sort()).toEqual(Object.keys(ReceiverPropsSchema.entries).sort());
  for (const [name, text] of Object.entries(documented)) {
    // A default said in words (`- none`) is said in words there too; a value is the same value.
    if (!text.startsWith('-')) expect({ name, default: rows[name] }).toEqual({ name, default: `\`${text}\`` });
  }
});

describe('what can be brought in', () => {
  test('a secret of your own: none is made, the function reads that one', () => {
    const { template } = receiver({}, (stack) => ({
      callbackToken: secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'prod/im-token'),
    }));
    expect(resources(template, 'AWS::SecretsManager::Secret')).toEqual([]);
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCallback'))!;
    expect(JSON.stringify(fn.Properties.Environment.Variables.IM_TOKEN_SECRET)).toContain('secret:prod/im-token');
  });

  test('no token at all, asked for in so many words: a warning at synth', () => {
    const { app, stack, template } = receiver({ unsignedCallbacks: true });
    expect(resources(template, 'AWS::SecretsManager::Secret')).toEqual([]);
    expect(synthWarnings(app, stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^unsignedCallbacks=true: no callback token/)]));
  });

  test('an events table of your own: none is made, the functions and consumers use it', () => {
    const streamArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2026-01-01T00:00:00.000';
    const { template, im } = receiver({}, (stack) => ({
      existingEventsTable: dynamodb.Table.fromTableAttributes(stack, 'Theirs', { tableName: 'events', tableStreamArn: streamArn }),
    }));
    expect(resources(template, 'AWS::DynamoDB::Table').map(([id]) => id)).toEqual([
      expect.stringMatching(/^ImPolicyCounters/),
      expect.stringMatching(/^ImStateTable/),
    ]);
    expect(Stack.of(im).resolve(im.eventsTable.tableName)).toBe('events');
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping').filter(([, mapping]) => mapping.Properties.EventSourceArn === streamArn);
    expect(mappings).toHaveLength(2);
  });

  test('an events table without a stream, while the fan-out or the view would read it, is refused', () => {
    const make = (props: Partial<TencentImReceiverProps>) => () =>
      receiver(props, (stack) => ({ existingEventsTable: dynamodb.Table.fromTableName(stack, 'Theirs', 'events') }));
    expect(make({})).toThrow(
      /existingEventsTable: has no stream \(tableStreamArn\), which the fan-out and the synced view read; enable NEW_IMAGE, or switch them off/,
    );
    expect(make({ fanOut: false })).toThrow(/which the synced view read; .* switch it off/);
    expect(make({ fanOut: false, syncedState: false })).not.toThrow();
  });

  test('properties of the table it makes, but not its key design', () => {
    const { template } = receiver({ eventsTableProps: { tableName: 'im-events', tableClass: dynamodb.TableClass.STANDARD_INFREQUENT_ACCESS } });
    const [, table] = resources(template, 'AWS::DynamoDB::Table').find(([id]) => id.startsWith('ImEventsKeyed'))!;
    // The deployed table keeps the name given; the new one is told apart by the design's number.
    expect(table.Properties).toMatchObject({
      TableName: 'im-events-3',
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      KeySchema: [
        { AttributeName: 'p', KeyType: 'HASH' },
        { AttributeName: 's', KeyType: 'RANGE' },
      ],
    });
  });

  test('a bus of your own: none is made nor archived, and the fan-out publishes on yours', () => {
    const { template } = receiver({}, (stack) => ({ eventBus: events.EventBus.fromEventBusName(stack, 'Theirs', 'their-bus') }));
    expect(resources(template, 'AWS::Events::EventBus')).toEqual([]);
    expect(resources(template, 'AWS::Events::Archive')).toEqual([]);
    const [, consumer] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.includes('FanOutConsumer'))!;
    expect(consumer.Properties.Environment.Variables.EVENT_BUS_NAME).toBe('their-bus');
  });

  test('an alarm action of your own: no topic is made, every alarm and its all-clear go to yours', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:pager';
    const { template, im } = receiver({}, (stack) => ({ alarms: { action: new SnsAction(sns.Topic.fromTopicArn(stack, 'Pager', topicArn)) } }));
    expect(resources(template, 'AWS::SNS::Topic')).toEqual([]);
    expect(im.alarmTopic).toBeUndefined();
    for (const alarm of alarmProperties(template)) expect(alarm).toMatchObject({ AlarmActions: [topicArn], OKActions: [topicArn] });
  });
});

describe('what can be switched off or set', () => {
  test('fanOut: false makes no bus, no fan-out consumer, no fan-out alarms; onEvent says why it cannot', () => {
    const { template, im } = receiver({ fanOut: false });
    expect(resources(template, 'AWS::Events::EventBus')).toEqual([]);
    expect(resources(template, 'AWS::Lambda::Function').filter(([id]) => id.includes('FanOut'))).toEqual([]);
    expect(alarmProperties(template).filter((alarm) => /FanOut/.test(alarm.AlarmName))).toEqual([]);
    expect(im.eventBus).toBeUndefined();
    expect(() => im.onEvent('Messages', { commands: ['Group.CallbackAfterSendMsg'] })).toThrow(
      /Test\/Im.onEvent\('Messages'\): the receiver publishes no events \(fanOut: false\)/,
    );
  });

  test('syncedState: false makes no state table, consumer or alarms', () => {
    const { template, im } = receiver({ syncedState: false, retireEventsTable: true });
    expect(resources(template, 'AWS::DynamoDB::Table').map(([id]) => id)).toEqual([
      expect.stringMatching(/^ImEvents/),
      expect.stringMatching(/^ImPolicyCounters/),
    ]);
    expect(alarmProperties(template).filter((alarm) => /State/.test(alarm.AlarmName))).toEqual([]);
    expect(im.stateTable).toBeUndefined();
  });

  test('logRetention: every log group of the receiver keeps its records that long', () => {
    const { template } = receiver({ logRetention: RetentionDays.THREE_MONTHS });
    const retention = resources(template, 'AWS::Logs::LogGroup').map(([, group]) => group.Properties.RetentionInDays);
    expect(retention).toEqual([90, 90, 90, 90, 90, 90, 90]);
  });

  test('the alarm defaults reach every alarm: prefix, period and evaluation, and an alarm with its own evaluation keeps it', () => {
    const { template } = receiver({ alarms: { namePrefix: 'chat-prod', period: Duration.minutes(1), evaluationPeriods: 5, datapointsToAlarm: 3 } });
    const alarms = alarmProperties(template);
    expect(alarms).toHaveLength(13);
    for (const alarm of alarms) {
      expect(alarm.AlarmName).toMatch(/^chat-prod-/);
      expect(alarm.Period).toBe(60);
      expect(alarm.AlarmDescription).not.toMatch(/5 minutes\)/);
    }
    const own = alarms.filter((alarm) => alarm.AlarmName === 'chat-prod-SlowCallbacks');
    expect(own).toEqual([expect.objectContaining({ EvaluationPeriods: 3, DatapointsToAlarm: 2 })]);
    for (const alarm of alarms.filter((each) => each.AlarmName !== 'chat-prod-SlowCallbacks'))
      expect(alarm).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(only(template, 'AWS::CloudWatch::Dashboard')[1].Properties.DashboardName).toBe('chat-prod');
  });
});

describe('the policy’s operation (docs/policy.md#operating-a-policy)', () => {
  test('a counters table with a TTL, which the callback function alone may update, read and put', () => {
    const { template, im } = receiver({});
    const [tableId, table] = resources(template, 'AWS::DynamoDB::Table').find(([id]) => id.startsWith('ImPolicyCounters'))!;
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(ref(im.policyCountersTable.tableName)).toEqual({ Ref: tableId });
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCallback'))!;
    expect(fn.Properties.Environment.Variables.POLICY_COUNTERS_TABLE_NAME).toEqual({ Ref: tableId });
    const statements = resources(template, 'AWS::IAM::Policy').flatMap(
      ([, policy]) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const onCounters = statements.filter((statement) => JSON.stringify(statement.Resource).includes(tableId));
    expect(onCounters.map((statement) => statement.Action)).toEqual([['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:PutItem']]);
  });

  test('the policy as an AppConfig profile: validated by the receiver’s validator function, rolled back on FunctionErrors, read by name', () => {
    const { template, im } = receiver({
      policy: { rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['x'], refuse: { code: 10101 } }] },
    });
    const [, profile] = only(template, 'AWS::AppConfig::ConfigurationProfile');
    expect(profile.Properties.Name).toBe('policy');
    const [validatorId] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImPolicyConfigValidator'))!;
    expect(profile.Properties.Validators).toEqual([{ Type: 'LAMBDA', Content: { 'Fn::GetAtt': [validatorId, 'Arn'] } }]);
    const [, version] = only(template, 'AWS::AppConfig::HostedConfigurationVersion');
    expect(JSON.parse(version.Properties.Content)).toEqual({
      rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['x'], refuse: { code: 10101, info: '' } }],
    });
    const [, environment] = only(template, 'AWS::AppConfig::Environment');
    const [alarmId] = resources(template, 'AWS::CloudWatch::Alarm').find(([, alarm]) => String(alarm.Properties.AlarmName).endsWith('-FunctionErrors'))!;
    expect(environment.Properties.Monitors).toEqual([expect.objectContaining({ AlarmArn: { 'Fn::GetAtt': [alarmId, 'Arn'] } })]);
    only(template, 'AWS::AppConfig::Deployment');
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCallback'))!;
    const variables = fn.Properties.Environment.Variables;
    expect([variables.POLICY_APPCONFIG_ENVIRONMENT, variables.POLICY_APPCONFIG_PROFILE]).toEqual(['receiver', 'policy']);
    const [, application] = only(template, 'AWS::AppConfig::Application');
    expect(variables.POLICY_APPCONFIG_APPLICATION).toBe(application.Properties.Name);
    expect(im.policyConfig?.validator).toBeDefined();
  });

  test('npm run policy -- --deploy finds the profile among the stack’s resources; in a stack of two receivers, the one --receiver names', () => {
    // As ListStackResources lists them: the template's logical ids and types, with physical ids
    // (some AppConfig ones are `application/resource`, e.g. the environment's).
    const listed = (template: Template) =>
      Object.entries(template.toJSON().Resources as Record<string, { Type: string }>).map(([id, resource], index) => ({
        LogicalResourceId: id,
        ResourceType: resource.Type,
        PhysicalResourceId: resource.Type === 'AWS::AppConfig::Environment' ? `app${index}/${id}` : id,
      }));
    const one = listed(defaults.template);
    const ids = (type: string) => one.filter((resource) => resource.ResourceType === type).map((resource) => resource.LogicalResourceId);
    expect(policyTarget(one, 'Test')).toEqual({
      applicationId: ids('AWS::AppConfig::Application')[0],
      environmentId: ids('AWS::AppConfig::Environment')[0],
      profileId: ids('AWS::AppConfig::ConfigurationProfile')[0],
      strategyId: ids('AWS::AppConfig::DeploymentStrategy')[0],
    });
    const two = listed(Template.fromStack(twoReceivers().stack));
    expect(() => policyTarget(two, 'Chat')).toThrow("stack Chat has 2 receivers' policies: name one with --receiver (StagingPolicyConfigApplication");
    expect(policyTarget(two, 'Chat', 'Production').applicationId).toMatch(/^ProductionPolicyConfigApplication/);
    expect(() => policyTarget(listed(receiver({ policyFromAppConfig: false }).template), 'Test')).toThrow('has no policy AppConfig application');
  });

  test('policyFromAppConfig: false: the layer’s copy alone', () => {
    const { template } = receiver({ policyFromAppConfig: false });
    expect(resources(template, 'AWS::AppConfig::ConfigurationProfile')).toEqual([]);
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCallback'))!;
    expect(fn.Properties.Environment.Variables.POLICY_APPCONFIG_APPLICATION).toBeUndefined();
  });

  test('the dashboard has the policy’s row: hits, shadow hits and evaluations by rule, counter misses', () => {
    const [, dashboard] = only(defaults.template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of ['PolicyRuleHits', 'PolicyShadowHits', 'PolicyRuleEvaluations', 'PolicyCounterMisses']) expect(body).toContain(name);
  });
});
