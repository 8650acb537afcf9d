/**
 * Production in view on the receiver (docs/production.md): the canary, the silence alarms and the
 * reconciliation, each off unless configured, each checked at synth with one line per problem, each
 * alarm citing its runbook entry.
 */
import { describe, expect, test } from '@jest/globals';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SettingsError } from '../../functions/shared/settings.ts';
import type { TencentImReceiverProps } from '../../infra/receiver-props.ts';
import { TencentImReceiver } from '../../infra/tencent-im-receiver.ts';
import { appWithoutBundling, type Resource, synth } from '../support/stack-template.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tencent/im-admin-AbCdEf';

function receiver(props: Partial<TencentImReceiverProps> = {}, withApi = true) {
  const stack = new Stack(appWithoutBundling(), 'Test');
  const credentials = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Admin', SECRET_ARN);
  const im = new TencentImReceiver(stack, 'Im', {
    sdkAppIds: ['1400000001'],
    ...(withApi ? { tencentApi: { credentials, domain: 'singapore' } } : {}),
    ...props,
  });
  return { stack, im, template: Template.fromStack(stack) };
}

const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const alarms = (template: Template) => resources(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
const problemsOf = (make: () => unknown): string[] => {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message.split('\n').slice(1);
  }
  throw new Error('no error');
};

describe('the canary', () => {
  test('is off unless configured: the receiver makes no canary function, schedule or alarm', () => {
    const { im, template } = receiver();
    expect(im.canary).toBeUndefined();
    expect(resources(template, 'AWS::Events::Rule')).toHaveLength(0);
    expect(alarms(template).some((alarm) => /Canary/.test(alarm.AlarmName))).toBe(false);
  });

  test('a scheduled function that sends to its group, may read the credentials and list the events, not retried, with two alarms and a dashboard row', () => {
    const { im, template } = receiver({ canary: { group: '@TGS#canary', every: '10m', wait: '90s' } });
    const canary = im.canary!;
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCanary'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      CANARY_GROUP: '@TGS#canary',
      CANARY_WAIT_MS: '90000',
      TENCENT_CREDENTIALS_SECRET: SECRET_ARN,
      TENCENT_DOMAIN: 'singapore',
      POWERTOOLS_METRICS_NAMESPACE: 'TencentImCallbacks',
    });
    expect(fn.Properties.Environment.Variables).not.toHaveProperty('CANARY_ACCOUNT');
    expect(fn.Properties.Timeout).toBe(150);
    const [, rule] = resources(template, 'AWS::Events::Rule')[0]!;
    expect(rule.Properties.ScheduleExpression).toBe('rate(10 minutes)');
    expect(rule.Properties.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 });
    const statements = resources(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ImCanary'))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'dynamodb:Query']));
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:Query', 'dynamodb:BatchGetItem']);
    const dynamodb = statements.find((statement) => [statement.Action].flat().includes('dynamodb:Query'))!;
    expect(JSON.stringify(dynamodb.Resource)).not.toContain('*');
    const named = Object.fromEntries(alarms(template).map((alarm) => [alarm.AlarmName, alarm]));
    expect(named['Test-Im-CanaryMissing']).toMatchObject({
      MetricName: 'CanaryChecks',
      Dimensions: expect.arrayContaining([{ Name: 'result', Value: 'missing' }]),
      Threshold: 0,
      AlarmDescription: expect.stringMatching(/group @TGS#canary .* 1 minute 30 seconds.*Runbook: docs\/operations.md#alarm-canary-missing$/),
    });
    expect(named['Test-Im-CanaryErrors']?.AlarmDescription).toMatch(/Runbook: docs\/operations.md#alarm-canary-errors$/);
    expect(im.alarms).toEqual(expect.arrayContaining(canary.alarms));
    const body = JSON.stringify(resources(template, 'AWS::CloudWatch::Dashboard'));
    expect(body).toContain('CanaryLatency');
    expect(body).toContain('Canary checks');
  });

  test('to an account, with its sender', () => {
    const { template } = receiver({ canary: { account: 'canary-bot', sender: 'canary-admin' } });
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImCanary'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ CANARY_ACCOUNT: 'canary-bot', CANARY_SENDER: 'canary-admin', CANARY_WAIT_MS: '60000' });
    expect(resources(template, 'AWS::Events::Rule')[0]![1].Properties.ScheduleExpression).toBe('rate(5 minutes)');
  });

  test('refused at synth, every problem at once: no REST API, a target and none, a wait as long as the schedule, a name it does not know', () => {
    expect(problemsOf(() => receiver({ canary: { group: '@TGS#canary' } }, false))).toEqual([
      "  - canary: calls Tencent's REST API, so it needs tencentApi (docs/tencent-rest.md#credentials)",
    ]);
    expect(problemsOf(() => receiver({ canary: { group: 'g', account: 'a' } }))).toEqual(['  - canary: needs a group or an account to send to (one of them)']);
    expect(problemsOf(() => receiver({ canary: {} as never }))).toEqual(['  - canary: needs a group or an account to send to (one of them)']);
    expect(problemsOf(() => receiver({ canary: { group: 'g', every: '1m', wait: Duration.minutes(1) } }))).toEqual([
      '  - canary: wait must be shorter than every: a run waits for its callback before the next starts',
    ]);
    expect(problemsOf(() => receiver({ canary: { group: 'g', evry: '5m' } as never }))).toEqual([
      expect.stringMatching(/^ {2}- canary at evry: is not a canary setting \(every, group, account, sender, wait\)$/),
    ]);
    expect(problemsOf(() => receiver({ canary: { group: 'g', every: '5 minutes' } }))).toEqual([
      '  - canary at every: must be a duration such as 90s, 15m, 1h or 1d',
    ]);
  });

  test("from the stack's context keys, as JSON text, with the secret by name; without the secret, synth names the key", () => {
    const { template } = synth({ canary: '{"group":"@TGS#canary","every":"15m"}', tencentCredentialsSecret: 'tencent/im-admin', tencentDomain: 'frankfurt' });
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('Canary'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ CANARY_GROUP: '@TGS#canary', TENCENT_DOMAIN: 'frankfurt' });
    expect(JSON.stringify(fn.Properties.Environment.Variables.TENCENT_CREDENTIALS_SECRET)).toContain('secret:tencent/im-admin');
    expect(() => synth({ canary: '{"group":"@TGS#canary"}' })).toThrow(
      /canary \(cdk.json context or -c canary=…\): calls Tencent's REST API, so it needs tencentCredentialsSecret/,
    );
    expect(() => synth({ canary: '{group:1}', tencentCredentialsSecret: 'x' })).toThrow(
      /canary \(cdk.json context or -c canary=…\): must be an object or its JSON text/,
    );
  });
});

describe('the silence alarms', () => {
  test('one per expected command, raised below one heard callback in its window, missing data counting as silence, on the outcomes that mean heard', () => {
    const { im, template } = receiver({ expectedCommands: { 'Group.CallbackAfterSendMsg': '15m', 'Group.CallbackBeforeSendMsg': Duration.hours(2) } }, false);
    const named = Object.fromEntries(alarms(template).map((alarm) => [alarm.AlarmName, alarm]));
    const after = named['Test-Im-Silence-Group.CallbackAfterSendMsg'];
    expect(after).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
      AlarmDescription: expect.stringMatching(/^No Group.CallbackAfterSendMsg was heard for 15 minutes .*Runbook: docs\/operations.md#alarm-silence$/),
    });
    const queries = after.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { Dimensions: { Name: string; Value: string }[] }; Period: number };
    }[];
    expect(queries.find((query) => query.Expression !== undefined)?.Expression).toBe('SUM([FILL(m0, 0), FILL(m1, 0), FILL(m2, 0)])');
    const outcomesOf = (list: typeof queries) =>
      list.flatMap((query) => query.MetricStat?.Metric.Dimensions.filter((d) => d.Name === 'outcome').map((d) => d.Value) ?? []);
    expect(outcomesOf(queries)).toEqual(['stored', 'duplicate', 'queued']);
    expect(new Set(queries.flatMap((query) => (query.MetricStat ? [query.MetricStat.Period] : [])))).toEqual(new Set([900]));
    const before = named['Test-Im-Silence-Group.CallbackBeforeSendMsg'];
    expect(outcomesOf(before.Metrics)).toEqual(['allowed', 'refused', 'dropped', 'rewritten', 'members-refused', 'timed-out']);
    expect(new Set(before.Metrics.flatMap((query: { MetricStat?: { Period: number } }) => (query.MetricStat ? [query.MetricStat.Period] : [])))).toEqual(
      new Set([7200]),
    );
    expect(im.alarms).toEqual(expect.arrayContaining(im.silenceAlarms!.alarms));
    const dashboard = JSON.stringify(resources(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboard).toContain('Expected commands: last heard');
    expect(dashboard).toContain('stats max(@timestamp) as lastHeard');
  });

  test('none unless configured', () => {
    expect(receiver({}, false).im.silenceAlarms).toBeUndefined();
  });

  test('an unknown command fails synth with the one meant; a window outside a minute to a day, or not whole minutes, names its bounds', () => {
    expect(problemsOf(() => receiver({ expectedCommands: { 'Group.CallbackAfterSendMsgs': '15m', 'Nope.Callback': '1h' } }, false))).toEqual([
      '  - expectedCommands: Group.CallbackAfterSendMsgs is no command of the registry; did you mean Group.CallbackAfterSendMsg?; Nope.Callback is no command of the registry (npm run commands lists them)',
    ]);
    expect(problemsOf(() => receiver({ expectedCommands: { 'Group.CallbackAfterSendMsg': '90s' } }, false))).toEqual([
      '  - expectedCommands at Group.CallbackAfterSendMsg: must be whole minutes',
    ]);
    expect(problemsOf(() => receiver({ expectedCommands: { 'Group.CallbackAfterSendMsg': '2d' } }, false))).toEqual([
      '  - expectedCommands at Group.CallbackAfterSendMsg: must be from 1 minute to 1 day',
    ]);
    expect(problemsOf(() => receiver({ expectedCommands: {} }, false))).toEqual(['  - expectedCommands: names no command: leave it out for no silence alarm']);
  });

  test("from the stack's context, as JSON text", () => {
    const { template } = synth({ expectedCommands: '{"C2C.CallbackAfterSendMsg":"1h"}' });
    expect(alarms(template).map((alarm) => alarm.AlarmName)).toContain('Test-Silence-C2C.CallbackAfterSendMsg');
  });
});

describe('the reconciliation', () => {
  test('a scheduled function over the state table, with its settings, the secret, the view table alone, its alarm and dashboard row', () => {
    const { im, template } = receiver({ reconcile: { every: '12h', groups: ['@TGS#1'], callsPerSecond: 10 } });
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImReconcile'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      RECONCILE_GROUPS: '["@TGS#1"]',
      RECONCILE_VIEW_GROUPS: 'true',
      RECONCILE_CALLS_PER_SECOND: '10',
      RECONCILE_MAX_GROUPS: '10000',
      TENCENT_CREDENTIALS_SECRET: SECRET_ARN,
    });
    expect(fn.Properties.Timeout).toBe(900);
    const rule = resources(template, 'AWS::Events::Rule').find(([id]) => id.startsWith('ImReconcile'))![1];
    expect(rule.Properties.ScheduleExpression).toBe('rate(12 hours)');
    expect(rule.Properties.Targets[0].RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
    const statements = resources(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ImReconcile'))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    const dynamodb = statements.find((statement) => [statement.Action].flat().includes('dynamodb:Scan'))!;
    expect(dynamodb.Action).toEqual(['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(JSON.stringify(dynamodb.Resource)).toContain('ImStateTable');
    const names = alarms(template).map((alarm) => alarm.AlarmName);
    expect(names).toContain('Test-Im-ReconcileErrors');
    expect(im.alarms).toEqual(expect.arrayContaining(im.reconcile!.alarms));
    expect(JSON.stringify(resources(template, 'AWS::CloudWatch::Dashboard'))).toContain('ReconcileDrift');
  });

  test('refused without the REST API or the synced view, and with a setting it does not know', () => {
    expect(problemsOf(() => receiver({ reconcile: {} }, false))).toEqual([
      "  - reconcile: calls Tencent's REST API, so it needs tencentApi (docs/tencent-rest.md#credentials)",
    ]);
    expect(problemsOf(() => receiver({ reconcile: {}, syncedState: false }))).toEqual([
      '  - reconcile: repairs the synced view, which syncedState: false switches off',
    ]);
    expect(problemsOf(() => receiver({ reconcile: { every: '10m', callsPerSecond: 500 } }))).toEqual([
      '  - reconcile at every: must be from 1 hour to 7 days',
      expect.stringMatching(/^ {2}- reconcile at callsPerSecond: .*200/),
    ]);
  });

  test("from the stack's context", () => {
    const { template } = synth({ reconcile: '{"viewGroups":false,"groups":["@TGS#a"]}', tencentCredentialsSecret: 'tencent/im-admin' });
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('Reconcile'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ RECONCILE_VIEW_GROUPS: 'false', RECONCILE_GROUPS: '["@TGS#a"]' });
  });
});
