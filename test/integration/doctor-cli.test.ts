/**
 * `npx tencent-im doctor` (cli/doctor.ts) in a child process against moto: CloudFormation stacks of a
 * wait handle with literal outputs (moto silently creates no alarm, secret or API of a real template:
 * /work/notes/research-aws.md §5), so the alarms, the secret, the queues and the metrics are made here
 * through their own APIs, as the deployed receiver's would be. One line each, fine or a problem with
 * what to do, and exit code 1 when there is a problem.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { callbackMetrics, canaryMetrics, SERVICE_DIMENSION, SERVICE_NAME } from '../../functions/callback/metric-names.ts';
import { registeredCommands } from '../../functions/commands/registry.ts';
import { type MotoServer, motoCredentials, motoRegion, startMotoServer } from '../support/moto-server.ts';
import { runScript } from '../support/processes.ts';
import { startTencentRestStandIn } from '../support/tencent-rest-stand-in.ts';

const HANG_MS = 60_000;
let moto: MotoServer;
const env = () => ({ ...moto.environment('SQS', 'CLOUDFORMATION', 'CLOUDWATCH', 'SECRETS_MANAGER'), DEBUG: '', NO_COLOR: '1' });
const doctor = (...args: string[]) =>
  runScript('cli/doctor.ts', args, env()).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const service = { Name: SERVICE_DIMENSION, Value: SERVICE_NAME };
const heard = (command: string, outcome: string, minutes: number) => ({
  MetricName: callbackMetrics.callbacks.name,
  Dimensions: [{ Name: 'command', Value: command }, { Name: 'outcome', Value: outcome }, service],
  Timestamp: minutesAgo(minutes),
  Value: 1,
  Unit: 'Count' as const,
});

let clients: { cloudFormation: CloudFormationClient; cloudWatch: CloudWatchClient; secrets: SecretsManagerClient; sqs: SQSClient };

beforeAll(async () => {
  moto = await startMotoServer();
  const config = { region: motoRegion, credentials: motoCredentials, endpoint: moto.endpoint };
  clients = {
    cloudFormation: new CloudFormationClient(config),
    cloudWatch: new CloudWatchClient(config),
    secrets: new SecretsManagerClient(config),
    sqs: new SQSClient(config),
  };
}, HANG_MS);

/**
 * Each test starts from an empty moto with its receiver alone: moto's GetMetricData ignores the
 * namespace of a query with dimensions (moto 5.2.1 cloudwatch/models.py), so two receivers' metrics
 * in one moto would mix.
 */
beforeEach(async () => {
  await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
});

const queue = async (name: string) => (await clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
const stack = (name: string, outputs: Record<string, string>) =>
  clients.cloudFormation.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify({
        Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
        Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
      }),
    }),
  );
const alarm = (name: string, runbook: string) =>
  clients.cloudWatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      AlarmDescription: `Something. Runbook: ${runbook}`,
      Namespace: 'Any',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );

/** A sick receiver: an alarm raised, dead letters, one command heard and one only rejected, the canary's callback missing. */
async function sickReceiver() {
  const { cloudWatch, secrets, sqs } = clients;
  const { ARN } = await secrets.send(new CreateSecretCommand({ Name: 'sick-token', SecretString: 'a-token' }));
  const deadLetters = await queue('sick-dead-letters');
  await sqs.send(new SendMessageCommand({ QueueUrl: deadLetters, MessageBody: '{}' }));
  await sqs.send(new SendMessageCommand({ QueueUrl: deadLetters, MessageBody: '{}' }));
  await stack('im-sick', {
    CallbackUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/callback',
    CallbackTokenSecret: ARN!,
    AlarmNamePrefix: 'im-sick',
    MetricsNamespace: 'Sick',
    FallbackQueueUrl: await queue('sick-fallback'),
    DeadLetterQueueUrl: deadLetters,
  });
  await alarm('im-sick-FunctionErrors', 'docs/operations.md#alarm-function-errors');
  await alarm('im-sick-Silence-Group.CallbackAfterSendMsg', 'docs/operations.md#alarm-silence');
  await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'im-sick-Silence-Group.CallbackAfterSendMsg', StateValue: 'ALARM', StateReason: 'test' }));
  await alarm('im-other-FunctionErrors', 'docs/operations.md#alarm-function-errors');
  await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'im-other-FunctionErrors', StateValue: 'ALARM', StateReason: 'not this stack' }));
  await cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'Sick',
      MetricData: [
        heard('Group.CallbackAfterCreateGroup', 'stored', 30),
        heard('Group.CallbackAfterSendMsg', 'rejected', 10),
        { MetricName: canaryMetrics.checks.name, Dimensions: [{ Name: 'result', Value: 'arrived' }, service], Timestamp: minutesAgo(20), Value: 1 },
        { MetricName: canaryMetrics.checks.name, Dimensions: [{ Name: 'result', Value: 'missing' }, service], Timestamp: minutesAgo(5), Value: 1 },
      ],
    }),
  );
}

/** A healthy one: signed by a secret of its own (no token output), alarms quiet, callbacks heard, the canary's arrived. */
async function healthyReceiver() {
  await stack('im-healthy', {
    CallbackUrl: 'https://def.execute-api.eu-west-1.amazonaws.com/callback',
    AlarmNamePrefix: 'im-healthy',
    MetricsNamespace: 'Healthy',
    FallbackQueueUrl: await queue('healthy-fallback'),
  });
  await alarm('im-healthy-FunctionErrors', 'docs/operations.md#alarm-function-errors');
  await clients.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'Healthy',
      MetricData: [
        heard('Group.CallbackAfterSendMsg', 'stored', 3),
        heard('Group.CallbackAfterSendMsg', 'duplicate', 200),
        heard('Group.CallbackBeforeSendMsg', 'allowed', 3),
        { MetricName: canaryMetrics.checks.name, Dimensions: [{ Name: 'result', Value: 'arrived' }, service], Timestamp: minutesAgo(4), Value: 1 },
        { MetricName: canaryMetrics.latency.name, Dimensions: [service], Timestamp: minutesAgo(4), Value: 1234, Unit: 'Milliseconds' },
      ],
    }),
  );
}

afterAll(async () => {
  for (const client of Object.values(clients ?? {})) client.destroy();
  await moto?.close();
});

const at = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(\\d+ min ago\\)';

describe('npx tencent-im doctor', () => {
  test(
    'a sick receiver: each problem on its line with what to do, exit code 1',
    async () => {
      await sickReceiver();
      const { code, stdout, stderr } = await doctor('--stack', 'im-sick');
      expect(code).toBe(1);
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toEqual([
        '✔ stack im-sick: CREATE_COMPLETE',
        "✔ callback URL https://abc.execute-api.eu-west-1.amazonaws.com/callback: the Chat console's callback URL must be exactly this (it takes about 2 minutes to apply there)",
        '· outputs: AlarmNamePrefix, CallbackTokenSecret, CallbackUrl, DeadLetterQueueUrl, FallbackQueueUrl, MetricsNamespace',
        expect.stringMatching(/^✔ token: set \(secret arn:aws:secretsmanager:.+:sick-token-\w+\); the Chat console's callback token must be the same/),
        expect.stringMatching(/^✘ alarm im-sick-Silence-Group\.CallbackAfterSendMsg in ALARM since .+: docs\/operations\.md#alarm-silence$/),
        expect.stringMatching(new RegExp(`^✔ Group\\.CallbackAfterCreateGroup: last heard in the hour from ${at}$`)),
        `· not heard in 14 days: ${registeredCommands.length - 1} commands: ${registeredCommands.filter((command) => command !== 'Group.CallbackAfterCreateGroup').join(', ')}`,
        '✔ fallback queue: empty',
        '✘ dead-letter queue: 2 messages, the drain could not store: docs/operations.md#alarm-dead-letters',
        expect.stringMatching(new RegExp(`^✘ canary: its last message's callback did not arrive in time, at ${at}: docs/operations.md#alarm-canary-missing$`)),
        '· Live and Call callbacks: not checked: no TencentCredentialsSecret output; --secret NAME|ARN gives the REST admin credentials (docs/tencent-rest.md#credentials)',
      ]);
      expect(stderr).toBe('3 problems (✘): each line says what to do.\n');
    },
    HANG_MS,
  );

  test(
    'a healthy receiver: every line fine, the canary latency, exit code 0',
    async () => {
      await healthyReceiver();
      const { code, stdout } = await doctor('--stack', 'im-healthy');
      expect(code).toBe(0);
      expect(stdout.trimEnd().split('\n')).toEqual([
        '✔ stack im-healthy: CREATE_COMPLETE',
        expect.stringMatching(/^✔ callback URL https:\/\/def\./),
        '· outputs: AlarmNamePrefix, CallbackUrl, FallbackQueueUrl, MetricsNamespace',
        '· no CallbackTokenSecret output: callbacks are unsigned, or signed with a token secret of your own (tokenSecret): docs/security.md#token',
        '✔ alarms: 1, none in ALARM',
        expect.stringMatching(new RegExp(`^✔ Group\\.CallbackAfterSendMsg: last heard in the hour from ${at}$`)),
        expect.stringMatching(new RegExp(`^✔ Group\\.CallbackBeforeSendMsg: last heard in the hour from ${at}$`)),
        expect.stringMatching(/^· not heard in 14 days: \d+ commands: /),
        '✔ fallback queue: empty',
        expect.stringMatching(new RegExp(`^✔ canary: its callback arrived 1\\.23 s after the send, at ${at}$`)),
        '· Live and Call callbacks: not checked: no TencentCredentialsSecret output; --secret NAME|ARN gives the REST admin credentials (docs/tencent-rest.md#credentials)',
      ]);
    },
    HANG_MS,
  );

  test(
    'a receiver Tencent does not call: the problem says where to look',
    async () => {
      await stack('im-silent', {
        CallbackUrl: 'https://ghi.execute-api.eu-west-1.amazonaws.com/callback',
        AlarmNamePrefix: 'im-silent',
        MetricsNamespace: 'Silent',
      });
      const { code, stdout } = await doctor('--stack', 'im-silent');
      expect(code).toBe(1);
      expect(stdout).toContain(
        "✘ no callback heard in 14 days (namespace Silent): Tencent is not calling. Check the Chat console's callback URL, its switches and its token (docs/production.md#doctor)\n",
      );
      expect(stdout).toContain('· no queue outputs (FallbackQueueUrl, DeadLetterQueueUrl, FanOutFailureQueueUrl, StateFailureQueueUrl): queues not checked\n');
      expect(stdout).toContain('· canary: off (canary on the receiver turns it on: docs/production.md#canary)\n');
      expect(stdout).toContain(
        '· Live and Call callbacks: not checked: no TencentCredentialsSecret output; --secret NAME|ARN gives the REST admin credentials (docs/tencent-rest.md#credentials)\n',
      );
    },
    HANG_MS,
  );

  test(
    "Live and Call: Tencent's REST API says where their callbacks go; refused credentials name the setting; a rate limit is unknown",
    async () => {
      const url = 'https://jkl.execute-api.eu-west-1.amazonaws.com/callback';
      const app = { sdkAppId: '1400000001', identifier: 'administrator', secretKey: 'the-key' };
      const standIn = await startTencentRestStandIn(app);
      try {
        standIn.callbacks.set('live', { Url: url, CallbackCommandList: ['Live.CallbackAfterCreateRoom', 'Live.CallbackAfterDestroyRoom'] });
        standIn.callbacks.set('call', { Url: 'https://old.example.com/callback', CallbackCommandList: ['Call.CallbackAfterStartCall'] });
        await clients.secrets.send(new CreateSecretCommand({ Name: 'im-admin', SecretString: JSON.stringify(app) }));
        await clients.secrets.send(new CreateSecretCommand({ Name: 'im-admin-wrong', SecretString: JSON.stringify({ ...app, secretKey: 'not-the-key' }) }));
        await stack('im-live', { CallbackUrl: url, AlarmNamePrefix: 'im-live', MetricsNamespace: 'Live', TencentCredentialsSecret: 'im-admin' });
        const tencentLines = (stdout: string) => stdout.split('\n').filter((line) => /^. (live|call) callbacks|ErrorCode/.test(line));

        const { stdout } = await doctor('--stack', 'im-live', '--base-url', standIn.baseUrl);
        expect(tencentLines(stdout)).toEqual([
          "✔ live callbacks: Tencent calls this stack's URL (2 commands)",
          `✘ call callbacks: Tencent calls https://old.example.com/callback, not this stack's URL: npx tencent-im tencent set-callback --product call --url ${url} (docs/tencent-rest.md#cli)`,
        ]);

        const wrong = await doctor('--stack', 'im-live', '--base-url', standIn.baseUrl, '--secret', 'im-admin-wrong');
        expect(tencentLines(wrong.stdout)).toEqual([expect.stringMatching(/^✘ .*ErrorCode 70009.*secretKey in Secrets Manager secret im-admin-wrong/)]);

        standIn.failNext('*', { errorCode: 60028 }, 2);
        const limited = await doctor('--stack', 'im-live', '--base-url', standIn.baseUrl);
        expect(tencentLines(limited.stdout)).toEqual([
          expect.stringMatching(/^· live callbacks: unknown: .*60028/),
          expect.stringMatching(/^· call callbacks: unknown: .*60028/),
        ]);
      } finally {
        await standIn.close();
      }
    },
    HANG_MS,
  );

  test(
    'fails in one line: an unknown stack; a missing --stack with the usage',
    async () => {
      expect(await doctor('--stack', 'nope')).toEqual({
        code: 1,
        stdout: '',
        stderr: `No stack nope in ${motoRegion}: check --stack, and --region or AWS_REGION (aws cloudformation list-stacks lists them)\n`,
      });
      // No region anywhere: unset, no profile to read it from, no instance metadata to ask.
      const noRegion = await runScript('cli/doctor.ts', ['--stack', 'im'], {
        ...env(),
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      }).catch((error: { code: number; stderr: string }) => error);
      expect(noRegion).toMatchObject({ code: 1, stderr: 'Could not describe the stack im: Error: Region is missing: give --region, or set AWS_REGION\n' });
      const missing = await doctor();
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^--stack NAME is needed: the deployed stack to check\n\nUsage: npx tencent-im doctor/);
    },
    HANG_MS,
  );
});
