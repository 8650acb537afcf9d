import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { SettingsError, settingsFromEnvironment } from '../../functions/shared/settings.ts';
import { POLICY_FILE_IN_LAMBDA } from '../../infra/policy-layer.ts';
import { ReceiverFunction } from '../../infra/receiver-function.ts';
import {
  acknowledgementsOf,
  actionsOf,
  appWithoutBundling,
  awsCustomResourceProvider,
  callbackFunction,
  drainFunction,
  eventsTable,
  only,
  type Resource,
  resourcesOf,
  settingsFrom,
  statementsOf,
  synth,
  synthWarnings,
} from '../support/stack-template.ts';
import { stackVariants } from '../support/stack-variants.ts';
import { synthOnce } from './synth-once.ts';

const policy = {
  rules: [
    {
      command: 'Group.CallbackBeforeCreateTopic',
      field: 'Name',
      maxLength: 50,
      refuse: { code: 10101, info: 'too long' },
    },
  ],
};

/** The deployment most tests synthesize, as `-c` values. */
const context = { sdkAppIds: '1400000001,1400000002', policy: JSON.stringify(policy), eventRetentionDays: '30' };
const settings = settingsFrom(context);

/** The logical id of a function's role. */
const roleOf = (fn: Resource): string => fn.Properties.Role['Fn::GetAtt'][0];

describe('CallbackStack', () => {
  let template: Template;
  let tableId: string;
  let functionId: string;
  let fn: Record<string, any>;
  let drain: Resource;

  beforeAll(() => {
    ({ template } = synthOnce(context));
    [tableId] = eventsTable(template);
    const [id, resource] = callbackFunction(template);
    functionId = id;
    fn = resource.Properties;
    [, drain] = drainFunction(template);
  });

  test("has five functions: the callback behind the API, the fallback queue's drain, the stream's fan-out and state consumers, and the policy's AppConfig validator", () => {
    // And a sixth, run only at deploy: the provider of the custom resource that sets the dead-letter
    // queue's redrive allow policy (test/infra/event-fallback-queue.test.ts).
    awsCustomResourceProvider(template);
    template.resourceCountIs('AWS::Lambda::Function', 6);
    // The five functions' and AppConfig's, which reads the rollback alarm (infra/policy-config.ts).
    template.resourceCountIs('AWS::IAM::Role', 7);
    expect(roleOf(drain)).not.toBe(fn.Role['Fn::GetAtt'][0]);
  });

  test("routes POST /callback (and GET and HEAD, the console probe's), and only those, to the function through the auto-deployed default stage", () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(['GET /callback', 'HEAD /callback', 'POST /callback']);
    const [integrationId, integration] = only(template, 'AWS::ApiGatewayV2::Integration');
    for (const route of routes) expect(route.Properties.Target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
  });

  test('runs the handler on Node 24, arm64, 512 MB, 10 s', () => {
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 10,
    });
  });

  test('hands the function the table name, the fallback queue, the token secret, where the policy is and its counters, and exactly the settings it reads back', () => {
    const {
      EVENTS_TABLE_NAME,
      FALLBACK_QUEUE_URL,
      POWERTOOLS_TRACE_ENABLED,
      IM_TOKEN_SECRET,
      POLICY_COUNTERS_TABLE_NAME,
      POLICY_APPCONFIG_APPLICATION,
      POLICY_APPCONFIG_ENVIRONMENT,
      POLICY_APPCONFIG_PROFILE,
      ...settingVariables
    } = fn.Environment.Variables;
    expect(POLICY_COUNTERS_TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^PolicyCountersTable/) });
    expect(POLICY_APPCONFIG_APPLICATION).toBe(only(template, 'AWS::AppConfig::Application')[1].Properties.Name);
    expect([POLICY_APPCONFIG_ENVIRONMENT, POLICY_APPCONFIG_PROFILE]).toEqual(['receiver', 'policy']);
    expect(EVENTS_TABLE_NAME).toEqual({ Ref: tableId });
    expect(IM_TOKEN_SECRET).toEqual({ Ref: only(template, 'AWS::SecretsManager::Secret')[0] });
    // The queue with the redrive policy, not its dead-letter queue (test/infra/event-fallback-queue.test.ts has the rest).
    const [queueId] = Object.entries(template.findResources('AWS::SQS::Queue')).find(([, queue]) => queue.Properties.RedrivePolicy !== undefined)!;
    expect(FALLBACK_QUEUE_URL).toEqual({ Ref: queueId });
    expect(POWERTOOLS_TRACE_ENABLED).toBe('true');
    expect(settingVariables).toEqual({
      IM_SDKAPPIDS: '1400000001,1400000002',
      IM_POLICY: `@${POLICY_FILE_IN_LAMBDA}`,
      IM_POLICY_DEADLINE_MS: '100',
      IM_RATE_BUDGET_MS: '50',
      EVENT_RETENTION_DAYS: '30',
      IM_SIGN_WINDOW_SECONDS: '60',
      IM_MAX_BODY_BYTES: '1048576',
      IM_MAX_BATCH_ITEMS: '100',
      IM_WRITE_BUDGET_MS: '1000',
      IM_LOG_LEVEL: 'INFO',
      IM_METRICS_NAMESPACE: 'TencentImCallbacks',
      IM_BUSY_ACCOUNTS: '',
    });
    const {
      tokenSecret: _token,
      unsignedCallbacks: _unsigned,
      throttleRateLimit: _rate,
      throttleBurstLimit: _burst,
      reservedConcurrency: _reserved,
      tracing: _tracing,
      alarmEmail: _email,
      latencyAlarmMs: _latency,
      fanOutArchiveDays: _archive,
      retireEventsTable: _retire,
      ...receiverSettings
    } = settings;
    expect(settingsFromEnvironment({ ...settingVariables, IM_POLICY: JSON.stringify(policy) })).toEqual(receiverSettings);
  });

  test('carries the policy in a layer of its own, not in the environment, so a policy of 1 MB deploys', () => {
    const big = {
      rules: [
        {
          command: 'Group.CallbackBeforeCreateTopic',
          field: 'Operator_Account',
          in: Array.from({ length: 70_000 }, (_, n) => `spammer-${n}`),
          refuse: { code: 10101, info: 'no' },
        },
      ],
    };
    // Staged as `cdk synth` stages it, to read the layer's file; the other tests' apps do not stage, and their
    // templates are the same (stack-template.ts).
    const { app, template: bigTemplate } = synth({ policy: JSON.stringify(big) }, { stageAssets: true });
    expect(synthOnce({ policy: JSON.stringify(big) }).template.toJSON()).toEqual(bigTemplate.toJSON());
    const [layerId, layer] = only(bigTemplate, 'AWS::Lambda::LayerVersion');
    const [, callback] = callbackFunction(bigTemplate);
    expect(callback.Properties.Layers).toEqual([{ Ref: layerId }]);
    const variables = callback.Properties.Environment.Variables as Record<string, unknown>;
    // Lambda's limit is 4 KB for all variables together; unresolved references count as their tokens.
    expect(JSON.stringify(variables).length).toBeLessThan(4096);
    const staged = join(app.synth().directory, `asset.${String(layer.Properties.Content.S3Key).replace(/\.zip$/, '')}`);
    const file = readFileSync(join(staged, ...POLICY_FILE_IN_LAMBDA.split('/').slice(2)), 'utf8');
    expect(file.length).toBeGreaterThan(1_000_000);
    expect(JSON.parse(file)).toEqual(big);
  });

  test('keeps the events in a retained on-demand table, protected from deletion, with PITR, TTL, the stream and the actor index', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'p', KeyType: 'HASH' },
          { AttributeName: 's', KeyType: 'RANGE' },
        ],
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'x', Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byActor',
            KeySchema: [
              { AttributeName: 'a', KeyType: 'HASH' },
              { AttributeName: 's', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['c', 'g', 'gx'] },
          },
        ],
      },
    });
    const [, table] = eventsTable(template);
    const attributes = ['p', 's', 'a'];
    expect(table.Properties.AttributeDefinitions).toHaveLength(attributes.length);
    expect(table.Properties.AttributeDefinitions).toEqual(expect.arrayContaining(attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))));
  });

  test("lets either function's role do nothing in DynamoDB but write events (and wide subjects' markers) on the events table, and the callback's count in the policy counters", () => {
    const roleIds = [fn.Role['Fn::GetAtt'][0] as string, roleOf(drain)];
    // The stream consumers' roles are checked with their constructs (test/infra/event-fan-out.test.ts, synced-state.test.ts),
    // and the deploy-time provider's (its log and SetQueueAttributes on the dead-letter queue) in test/infra/event-fallback-queue.test.ts.
    const providerRole = { Ref: roleOf(awsCustomResourceProvider(template)[1]) };
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter(
      (policy) =>
        !/FanOutConsumer|StateConsumer|PolicyConfig/.test(JSON.stringify(policy.Properties.Roles)) &&
        JSON.stringify(policy.Properties.Roles) !== JSON.stringify([providerRole]),
    );
    // Every other policy belongs to one of the two roles, so the statements below are all there are.
    for (const policy of policies) expect(roleIds.map((roleId) => [{ Ref: roleId }])).toContainEqual(policy.Properties.Roles);

    for (const roleId of roleIds) {
      const dynamoStatements = statementsOf(template, roleId).filter(
        (statement) =>
          actionsOf(statement).some((action: string) => action.startsWith('dynamodb:')) && !JSON.stringify(resourcesOf(statement)).includes('PolicyCounters'),
      );
      expect(dynamoStatements).toHaveLength(1);
      const [statement] = dynamoStatements;
      expect(statement!.Effect).toBe('Allow');
      expect(actionsOf(statement!)).toEqual(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
      expect(resourcesOf(statement!)).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    }
    const allDynamoStatements = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((statement) => actionsOf(statement).some((action: string) => action.startsWith('dynamodb:')));
    expect(allDynamoStatements).toHaveLength(3);
    const counters = allDynamoStatements.filter((statement) => JSON.stringify(resourcesOf(statement)).includes('PolicyCounters'));
    expect(counters.map(actionsOf)).toEqual([['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:PutItem']]);
    expect(statementsOf(template, roleIds[0]!)).toContainEqual(counters[0]);
  });

  test('logs each function and the API access to log groups of their own, kept 30 days', () => {
    // The fan-out consumer's own is tested with it (test/infra/event-fan-out.test.ts).
    const logGroups = Object.fromEntries(Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => !id.startsWith('FanOut')));
    // The policy validator's too (infra/policy-config.ts).
    expect(Object.values(logGroups).map((group) => group.Properties.RetentionInDays)).toEqual([30, 30, 30, 30, 30, 30]);
    const functionLogs = fn.LoggingConfig.LogGroup.Ref as string;
    const drainLogs = drain.Properties.LoggingConfig.LogGroup.Ref as string;
    const [, stage] = only(template, 'AWS::ApiGatewayV2::Stage');
    const accessLogs = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    const [, consumer] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('StateConsumer'))!;
    const consumerLogs = consumer.Properties.LoggingConfig.LogGroup.Ref as string;
    const [, provider] = awsCustomResourceProvider(template);
    const providerLogs = provider.Properties.LoggingConfig.LogGroup.Ref as string;
    const [, validator] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('PolicyConfigValidator'))!;
    const validatorLogs = validator.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(Object.keys(logGroups).sort()).toEqual([functionLogs, drainLogs, consumerLogs, providerLogs, validatorLogs, accessLogs].sort());
  });

  test('outputs the URL to paste into the Chat console, and the table name', () => {
    const [apiId] = only(template, 'AWS::ApiGatewayV2::Api');
    template.hasOutput('CallbackUrl', {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/callback']] },
      Description: Match.stringLikeRegexp('callback URL'),
    });
    template.hasOutput('EventsTableName', { Value: { Ref: tableId } });
  });

  test("outputs what npx tencent-im doctor reads: the alarms' prefix, the metrics' namespace, each queue's URL", () => {
    const outputs = template.findOutputs('*');
    expect(outputs.AlarmNamePrefix!.Value).toBe(synthOnce(context).stack.stackName);
    expect(outputs.MetricsNamespace!.Value).toBe('TencentImCallbacks');
    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));
    for (const name of ['FallbackQueueUrl', 'DeadLetterQueueUrl', 'FanOutFailureQueueUrl', 'StateFailureQueueUrl']) {
      expect(queueIds).toContain(outputs[name]!.Value.Ref);
    }
    expect(outputs.TencentCredentialsSecret).toBeUndefined();
    const withRest = synthOnce({ ...context, tencentCredentialsSecret: 'tencent/im-admin', tencentDomain: 'singapore' }).template.findOutputs('*');
    expect([withRest.TencentCredentialsSecret!.Value, withRest.TencentDomain!.Value]).toEqual(['tencent/im-admin', 'singapore']);
  });
});

describe('CallbackStack deploys in an order', () => {
  // CloudFormation refuses a template whose resources depend on each other in a circle, and so does
  // Template.fromStack (test/infra/event-fallback-queue.test.ts shows it), where cdk synth only warns.
  test.each(stackVariants)('no resources depend on each other in a circle, with %s', (_name, settings) => {
    expect(() => Template.fromStack(synthOnce(settings).stack)).not.toThrow();
  });
});

describe('ReceiverFunction', () => {
  const receiverFunction = (props: Partial<ConstructorParameters<typeof ReceiverFunction>[2]>) => {
    const stack = new Stack(appWithoutBundling(), 'Test');
    new ReceiverFunction(stack, 'Receiver', { entry: 'callback', environment: {}, logRetention: RetentionDays.ONE_MONTH, ...props });
    return only(Template.fromStack(stack), 'AWS::Lambda::Function')[1].Properties;
  };

  test('takes another memory size', () => {
    expect(receiverFunction({ memorySize: 1024 }).MemorySize).toBe(1024);
  });

  test('times out after 10 s, or what it is given', () => {
    expect(receiverFunction({}).Timeout).toBe(10);
    expect(receiverFunction({ entry: 'drain', timeout: Duration.seconds(30) }).Timeout).toBe(30);
  });
});

describe('CallbackStack limits and the callback token', () => {
  test('throttles the stage from the settings and reserves concurrency when asked', () => {
    const limited = synthOnce({ throttleRateLimit: '20', throttleBurstLimit: 40, reservedConcurrency: '5' }).template;
    limited.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    // The callback function's ceiling; the drain is held back by its event source instead.
    expect(callbackFunction(limited)[1].Properties.ReservedConcurrentExecutions).toBe(5);
    expect(drainFunction(limited)[1].Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  test('writes access logs that leave out the query string, where the Sign travels', () => {
    const [, stage] = only(synthOnce(context).template, 'AWS::ApiGatewayV2::Stage');
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId', path: '$context.path', status: '$context.status' });
    expect(format).not.toMatch(/querystring|rawQueryString|\$context\.(requestOverride|routeKey)/i);
  });

  test('busyAccounts reaches every writer of the events table, the same list: the callback, the drain and the fan-out indexer', () => {
    const { template: busy } = synthOnce({ ...context, busyAccounts: 'notices, support-desk' });
    const functions = Object.entries(busy.findResources('AWS::Lambda::Function'));
    const writers = functions.filter(([id]) => /^(Callback|Fallback|FanOut)/.test(id) && !/LogRetention|Redrive/.test(id));
    const variables = writers.map(([id, fn]) => [id.replace(/[A-F0-9]{8}$/, ''), fn.Properties.Environment?.Variables?.IM_BUSY_ACCOUNTS]);
    expect(variables.length).toBeGreaterThanOrEqual(3);
    for (const [id, value] of variables) expect({ id, value }).toEqual({ id, value: 'notices,support-desk' });
    // Without the setting, the drain and the fan-out are told nothing more than before.
    const [, plainDrain] = drainFunction(synthOnce(context).template);
    expect(plainDrain.Properties.Environment.Variables).not.toHaveProperty('IM_BUSY_ACCOUNTS');
  });

  test('by default, makes a token secret the function alone may read, retained with the stack, says how to fetch the token, and warns of nothing about it', () => {
    const { app, stack, template } = synthOnce(context);
    const [secretId, secret] = only(template, 'AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 32, ExcludePunctuation: true });
    // The token is in the Chat console too: deleting the stack leaves it.
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const [, fn] = callbackFunction(template);
    const [, drain] = drainFunction(template);
    expect(fn.Properties.Environment.Variables.IM_TOKEN_SECRET).toEqual({ Ref: secretId });
    expect(drain.Properties.Environment.Variables.IM_TOKEN_SECRET).toBeUndefined();
    const secretStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((statement) => JSON.stringify(statement).includes('secretsmanager:'));
    expect(secretStatements).toEqual([
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: secretId } }),
    ]);
    expect(statementsOf(template, roleOf(fn))).toContainEqual(secretStatements[0]);
    template.hasOutput('CallbackTokenSecret', { Value: { Ref: secretId }, Description: Match.stringLikeRegexp('aws secretsmanager get-secret-value') });
    // The one warning is the alarm topic's, for want of alarmEmail (below).
    expect(synthWarnings(app, stack)).toEqual([expect.stringMatching(/^No alarm e-mail: /)]);
    // Saying so changes nothing.
    expect(synthOnce({ ...context, tokenSecret: 'create' }).template.toJSON()).toEqual(template.toJSON());
  });

  test('with unsignedCallbacks=true, makes no secret, reads none, and warns in one line at synth', () => {
    const { app, stack, template } = synthOnce({ ...context, unsignedCallbacks: 'true' });
    const [unsigned, ...others] = synthWarnings(app, stack);
    expect(unsigned).toMatch(/^unsignedCallbacks=true: no callback token, so only the SDKAppID is checked/);
    expect(unsigned).not.toContain('\n');
    expect(others).toEqual([expect.stringMatching(/^No alarm e-mail: /)]);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/IM_TOKEN_SECRET|secretsmanager:|CallbackTokenSecret/);
    // A boolean works as well as its text.
    expect(settingsFrom({ ...context, unsignedCallbacks: true })).toMatchObject({ unsignedCallbacks: true, tokenSecret: undefined });
  });

  test('the open route is acknowledged, to cdk-nag and cfn-guard alike, with the check the settings really make', () => {
    const routeReasons = (settings: Record<string, unknown>) =>
      acknowledgementsOf(synthOnce({ ...context, ...settings }).stack)
        .filter(({ path, rule }) => path.endsWith('/POST--callback') && /AwsSolutions-APIG4|api_gw_v2_authorization_type_configured_check/.test(rule))
        .map(({ reason }) => reason);
    const signed = routeReasons({});
    expect(signed).toHaveLength(2);
    for (const reason of signed) {
      expect(reason).toMatch(/the SDKAppID must be one of sdkAppIds, and Sign must equal SHA-256\(token \+ RequestTime\)/);
      expect(reason).not.toMatch(/opted out/);
    }
    const unsigned = routeReasons({ unsignedCallbacks: 'true' });
    expect(unsigned).toHaveLength(2);
    for (const reason of unsigned) {
      expect(reason).toMatch(
        /The deployer opted out of the callback token \(unsignedCallbacks=true.*\): the function checks only that the SDKAppID is one of sdkAppIds/,
      );
      expect(reason).not.toMatch(/\bSign\b/);
    }
    // Nothing else in the unsigned stack claims a Sign check either, and no alarm is excused for having no action.
    const everything = acknowledgementsOf(synthOnce({ ...context, unsignedCallbacks: 'true' }).stack);
    expect(everything.filter(({ reason }) => /\bSign\b/.test(reason))).toEqual([]);
    expect(everything.filter(({ rule }) => rule.includes('cloudwatch_alarm_action_check'))).toEqual([]);
  });

  test('with an existing secret by name, makes none and grants reading that one', () => {
    const { template } = synthOnce({ tokenSecret: 'prod/im-callback-token' });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(template.toJSON())).toMatch(/secret:prod\/im-callback-token-\?\?\?\?\?\?/);
  });
});

describe('settings errors at synth name the setting to fix', () => {
  const valid = { sdkAppIds: '1400000000' };
  const rule = { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['spam'], refuse: { code: 10101 } };

  test('the valid base parses', () => {
    expect(settingsFrom(valid)).toEqual({
      sdkAppIds: ['1400000000'],
      policy: { rules: [] },
      policyDeadlineMs: 100,
      rateBudgetMs: 50,
      busyAccounts: [],
      eventRetentionDays: 90,
      signWindowSeconds: 60,
      maxBodyBytes: 1_048_576,
      maxBatchItems: 100,
      writeBudgetMs: 1_000,
      logLevel: 'INFO',
      metricsNamespace: 'TencentImCallbacks',
      throttleRateLimit: 10_000,
      throttleBurstLimit: 5_000,
      tracing: true,
      latencyAlarmMs: 1_000,
      fanOutArchiveDays: 7,
      tokenSecret: 'create',
      unsignedCallbacks: false,
      retireEventsTable: false,
    });
  });

  test('a secret whose name merely starts like create is looked up, not refused', () => {
    expect(settingsFrom({ ...valid, tokenSecret: 'create-im-token' }).tokenSecret).toBe('create-im-token');
    expect(settingsFrom({ ...valid, tokenSecret: ' create ' }).tokenSecret).toBe('create');
  });

  test.each([
    ['eventRetentionDays', { eventRetentionDays: '0' }, />=1/],
    ['eventRetentionDays', { eventRetentionDays: 0 }, />=1/],
    ['eventRetentionDays', { eventRetentionDays: 'abc' }, /whole number/],
    ['sdkAppIds', { sdkAppIds: 'abc' }, /an SDKAppID is a number/],
    ['sdkAppIds', { sdkAppIds: '' }, /at least one SDKAppID/],
    ['policy', { policy: { rules: [{ ...rule, refuse: { code: 5 } }] } }, /refuse\.code must be 1 .* or 10100–10200/],
    ['policy', { policy: { rules: [{ ...rule, command: 'Group.CallbackBeforeNothing' }] } }, /command must be a before-callback/],
    ['policy', { policy: '{"rules": [' }, /is not valid JSON/],
    ['tokenSecret', { tokenSecret: 'my secret!' }, /must be "create", a secret name or a secret ARN/],
    // A near miss of create would deploy a reference to a secret that does not exist: every callback would fail.
    ['tokenSecret', { tokenSecret: 'crete' }, /"crete" is not a secret this stack would find: did you mean create\?/],
    ['tokenSecret', { tokenSecret: 'Create' }, /"Create" .*did you mean create\?/],
    ['tokenSecret', { tokenSecret: 'craete' }, /did you mean create\?/],
    ['tokenSecret', { tokenSecret: 'creat' }, /did you mean create\?/],
    ['tokenSecret', { tokenSecret: 'none' }, /does not switch the token off: .*set unsignedCallbacks=true/],
    ['tokenSecret', { tokenSecret: 'false' }, /set unsignedCallbacks=true/],
    ['unsignedCallbacks', { unsignedCallbacks: 'true', tokenSecret: 'create' }, /cannot be true while tokenSecret is set/],
    ['unsignedCallbacks', { unsignedCallbacks: 'true', tokenSecret: 'prod/im-callback-token' }, /cannot be true while tokenSecret is set/],
    ['unsignedCallbacks', { unsignedCallbacks: 'yes' }, /must be true or false/],
    ['throttleRateLimit', { throttleRateLimit: '0' }, />=1/],
    ['reservedConcurrency', { reservedConcurrency: 'many' }, /whole number/],
  ])('%s: %j', (key, bad, detail) => {
    const read = () => settingsFrom({ ...valid, ...bad });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(`${key} (cdk.json context or -c ${key}=…)`);
    expect(read).toThrow(detail);
    const others = ['sdkAppIds', 'policy', 'eventRetentionDays', 'tokenSecret', 'unsignedCallbacks', 'throttleRateLimit', 'reservedConcurrency'].filter(
      (name) => name !== key,
    );
    for (const other of others) expect(read).not.toThrow(`${other} (`);
  });
});
