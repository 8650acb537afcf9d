import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startFauxqs } from 'fauxqs';
import { loadedAtImport } from '../../bench/bundle.ts';
import { startXrayDaemonStub, type XrayDaemonStub } from '../../bench/xray-daemon.ts';
import { signOf } from '../../functions/callback/middlewares/verify-sign.ts';
import { REJECTION_ANNOTATION } from '../../functions/callback/powertools.ts';
import { fanOutMetricNames } from '../../functions/fan-out/metric-names.ts';
import { settingsToEnvironment } from '../../functions/shared/settings.ts';
import { eventOf, isEventItem } from '../../functions/store/event-item.ts';
import { BUNDLE_FILE } from '../../infra/handler-code.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { type SeedCommand, seedCallbacks } from '../fixtures/seed-callbacks.ts';
import { apiGatewayEvent } from '../support/api-gateway-event.ts';
import { dashboardMetrics } from '../support/dashboard-metrics.ts';
import { type DeployedBundles, synthesizeDeployedBundles } from '../support/deployed-bundle.ts';
import { metricsAsRead, metricsIn } from '../support/emf-documents.ts';
import { SDK_APP_ID, testSettings } from '../support/receiver.ts';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in.ts';
import { synth } from '../support/stack-template.ts';

const settings = testSettings({
  policy: {
    rules: [
      { command: 'Group.CallbackBeforeCreateTopic', field: 'Operator_Account', in: ['leckie'], refuse: { code: 10150, info: 'not leckie' } },
      // The policy's own metrics (the dashboard test): a shadow rule, and a rate rule that counts only where a counters table is named.
      {
        id: 'shadowed',
        mode: 'shadow',
        command: 'Group.CallbackBeforeCreateTopic',
        field: 'Operator_Account',
        in: ['shadowed'],
        refuse: { code: 10151, info: 'no' },
      },
      {
        id: 'topic-rate',
        command: 'Group.CallbackBeforeCreateTopic',
        rate: { per: 'Operator_Account', limit: 100, window: '10s' },
        refuse: { code: 10152, info: 'slow down' },
      },
    ],
  },
});
const outdir = mkdtempSync(join(tmpdir(), 'deployed-bundle-'));
let bundles: DeployedBundles;
let store: EmbeddedStore;

beforeAll(async () => {
  bundles = synthesizeDeployedBundles(settings, outdir);
  store = await startEmbeddedStore({ port: 0 });
});
afterAll(async () => {
  await store.close();
  rmSync(outdir, { recursive: true, force: true });
});

const tencentEvent = (command: string, body: string) =>
  apiGatewayEvent({
    query: { SdkAppid: SDK_APP_ID, CallbackCommand: command, contenttype: 'json', ClientIP: '127.0.0.1', OptPlatform: 'Android' },
    body,
    base64: true,
  });

/**
 * A bundle in a fresh Node process with the environment the stack gives its function, invoked once
 * per event: what it answered, and what it wrote (both streams, as Lambda ships them to CloudWatch:
 * its records, warnings and errors on stderr, and its EMF metrics).
 */
async function invoke(bundle: string, events: unknown[], environment: Record<string, string> = {}) {
  const child = execFile(process.execPath, [join(import.meta.dirname, '../support/invoke-bundle.ts'), bundle], {
    env: {
      PATH: process.env.PATH,
      // The policy from its layer's file, as the deployed function reads it.
      ...settingsToEnvironment(settings, { policy: bundles.policySetting }),
      EVENTS_TABLE_NAME: LOCAL_TABLE_NAME,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bundle',
      AWS_SECRET_ACCESS_KEY: 'bundle',
      AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
      // What Lambda sets, and Powertools reads to tell a cold start.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: 'bundle-test',
      ...environment,
    },
  });
  child.stdin!.end(JSON.stringify(events));
  const output = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`bundle exited ${code}: ${stderr}`))));
  });
  const lines = output.stdout.trim().split('\n');
  const results = JSON.parse(lines.pop()!) as unknown[];
  const written = [...lines, ...output.stderr.split('\n')].filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);
  return { results, written };
}

/** The callback bundle: its answers in Tencent's terms, every JSON line it wrote, its callback records and its EMF documents. */
async function invokeBundle(events: unknown[], environment: Record<string, string> = {}) {
  const { results, written } = await invoke(bundles.callback, events, environment);
  return {
    results: (results as { statusCode: number; body: string }[]).map(({ statusCode, body }) => ({ statusCode, answer: JSON.parse(body) })),
    written,
    records: written.filter((line) => line.message === 'callback'),
    metrics: written.filter((line) => '_aws' in line),
  };
}

describe('the bundle cdk deploys', () => {
  test('is an ES module and its chunks, the AWS SDK inside and require() available in each; tracing and the token’s client load only when used', () => {
    const folder = dirname(bundles.callback);
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs'));
    const code = (file: string) => readFileSync(join(folder, file), 'utf8');
    expect(files).toContain(BUNDLE_FILE);
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      expect(code(file).startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
      expect(code(file)).not.toMatch(/from\s*["']@aws-sdk\//);
      // node:http and node:https as require() gives them, never an ES namespace that reads every export (handler-bundles.ts).
      expect(code(file)).not.toMatch(/(?:from|import)\s*["'](?:node:)?https?["']/);
    }
    // The X-Ray SDK (its daemon variable) and the Secrets Manager client (its operation): in the
    // asset, in chunks that only import() reaches, so a cold start without tracing or a token never reads them.
    const atImport = [...loadedAtImport(folder)].map(code).join('\n');
    const everything = files.map(code).join('\n');
    for (const marker of ['AWS_XRAY_DAEMON_ADDRESS', 'GetSecretValue']) {
      expect(everything).toContain(marker);
      expect(atImport).not.toContain(marker);
    }
  });

  test('answers the seed callbacks and stores the after-events in DynamoDB, once', async () => {
    const commands = Object.keys(seedCallbacks) as SeedCommand[];
    const events = commands.map((command) => tencentEvent(command, seedCallbacks[command]));
    const { results } = await invokeBundle([...events, ...events]);

    const ok = { statusCode: 200, answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } };
    const refused = { statusCode: 200, answer: { ActionStatus: 'OK', ErrorCode: 10150, ErrorInfo: 'not leckie' } };
    const expected = commands.map((command) => (command === 'Group.CallbackBeforeCreateTopic' ? refused : ok));
    expect(results).toEqual([...expected, ...expected]);

    const { Items = [] } = await store.client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
    // The events as the table gives them back (eventOf): items of the store's own layout, body compressed.
    const stored = Items.filter(isEventItem).map(eventOf);
    expect(stored.map((event) => event.command).sort()).toEqual([
      'Group.CallbackAfterCreateGroup',
      'Group.CallbackAfterCreateTopic',
      'Group.CallbackAfterTopicInfoChanged',
    ]);
    expect(stored.every((event) => event.payload === seedCallbacks[event.command as SeedCommand] && event.optPlatform === 'Android')).toBe(true);
  });

  test('answers bad input in Tencent format, never 500', async () => {
    const command = 'Group.CallbackAfterCreateGroup';
    const { results } = await invokeBundle([
      tencentEvent(command, '{not json'),
      { ...tencentEvent(command, seedCallbacks[command]), queryStringParameters: { SdkAppid: '1', CallbackCommand: command } },
    ]);
    expect(results).toEqual([
      { statusCode: 400, answer: { ActionStatus: 'FAIL', ErrorCode: 40003, ErrorInfo: expect.stringMatching(/not valid JSON/) } },
      { statusCode: 403, answer: { ActionStatus: 'FAIL', ErrorCode: 40302, ErrorInfo: expect.stringMatching(/SdkAppid "1"/) } },
    ]);
  });
});

describe('what the bundle tells CloudWatch', () => {
  const group = (name: string) => JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: '@TGS#metrics', Name: name });
  const topic = (operator: string) => JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', Operator_Account: operator, Name: 'x' });

  test('one line per callback: its record, carrying its metrics as EMF, for each outcome', async () => {
    const { written, records, metrics } = await invokeBundle([
      tencentEvent('Group.CallbackAfterCreateGroup', group('metrics')),
      tencentEvent('Group.CallbackAfterCreateGroup', group('metrics')),
      tencentEvent('Group.CallbackBeforeCreateTopic', topic('jared')),
      tencentEvent('Group.CallbackBeforeCreateTopic', topic('leckie')),
      tencentEvent('Group.CallbackAfterCreateGroup', '[]'),
    ]);
    expect(records.map((record) => record.outcome)).toEqual(['stored', 'duplicate', 'allowed', 'refused', 'rejected']);
    expect(written).toEqual(records);
    expect(metrics).toEqual(records);

    const emitted = metrics.flatMap((document) => metricsIn(document));
    expect(emitted).toEqual([
      'Callbacks{command=Group.CallbackAfterCreateGroup,outcome=stored}=1',
      // A fresh process: its first callback is the cold start.
      'ColdStart{}=1',
      'Callbacks{command=Group.CallbackAfterCreateGroup,outcome=duplicate}=1',
      'Duplicates{}=1',
      'Callbacks{command=Group.CallbackBeforeCreateTopic,outcome=allowed}=1',
      'Callbacks{command=Group.CallbackBeforeCreateTopic,outcome=refused}=1',
      'Refusals{code=10150}=1',
      // The rule that refused, by its place (it has no id), on the same line.
      'PolicyRuleHits{ruleId=0}=1',
      'Callbacks{command=Group.CallbackAfterCreateGroup,outcome=rejected}=1',
      'Rejections{reason=body-not-object}=1',
    ]);
    expect(metrics.every((document) => document.service === 'tencent-im-callbacks')).toBe(true);
  });
});

describe('the token, read from Secrets Manager as deployed (a local stand-in of its API)', () => {
  const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:callback-token-AbCdEf';
  let secretsManager: SecretsManagerStandIn;
  beforeAll(async () => {
    // Two tokens, as while rotating: either signs.
    secretsManager = await startSecretsManagerStandIn({ [secretArn]: 'old-token, new-token' });
  });
  afterAll(() => secretsManager.close());

  const command = 'Group.CallbackAfterCreateGroup';
  const signedEvent = (token: string | undefined) => {
    const event = tencentEvent(command, JSON.stringify({ CallbackCommand: command, GroupId: `@TGS#secret-${token}` })) as {
      queryStringParameters: Record<string, string>;
    };
    if (token === undefined) return event;
    const requestTime = String(Math.floor(Date.now() / 1000));
    event.queryStringParameters = { ...event.queryStringParameters, RequestTime: requestTime, Sign: signOf(token, requestTime).toString('hex') };
    return event;
  };
  const withSecret = (endpoint: string) => ({ IM_TOKEN_SECRET: secretArn, AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint });

  test('reads the secret once at cold start; a Sign of either token passes, none or another is refused', async () => {
    const before = secretsManager.requests.length;
    const { results } = await invokeBundle(
      [signedEvent('old-token'), signedEvent('new-token'), signedEvent(undefined), signedEvent('wrong-token')],
      withSecret(secretsManager.endpoint),
    );
    expect(results.map(({ statusCode, answer }) => [statusCode, answer.ErrorCode])).toEqual([
      [200, 0],
      [200, 0],
      [401, 40101],
      [401, 40103],
    ]);
    expect(secretsManager.requests.slice(before)).toEqual([secretArn]);
  });

  test('with Secrets Manager unreachable, callbacks get 503 50301: neither trusted nor refused for cause', async () => {
    const { results } = await invokeBundle([signedEvent('old-token')], withSecret('http://127.0.0.1:9'));
    expect(results).toEqual([{ statusCode: 503, answer: expect.objectContaining({ ActionStatus: 'FAIL', ErrorCode: 50301 }) }]);
  });
});

describe('what the bundle tells X-Ray', () => {
  let daemon: XrayDaemonStub;
  beforeAll(async () => {
    daemon = await startXrayDaemonStub();
  });
  afterAll(() => daemon.close());

  test('a rejection (4xx) is an error, not a fault, and names its reason; an outage (5xx) is a fault', async () => {
    const command = 'Group.CallbackAfterCreateGroup';
    const tracing = {
      // What Lambda sets with active tracing: the SDK then runs in Lambda mode and streams each
      // closed subsegment to the daemon.
      LAMBDA_TASK_ROOT: dirname(bundles.callback),
      // Powertools traces only where this says Lambda.
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      _HANDLER: 'index.handler',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      AWS_XRAY_DAEMON_ADDRESS: daemon.address,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    };
    const { results } = await invokeBundle(
      [
        { ...tencentEvent(command, seedCallbacks[command]), queryStringParameters: { SdkAppid: '1', CallbackCommand: command } },
        tencentEvent(command, '{not json'),
        tencentEvent('Group.CallbackBeforeCreateTopic', seedCallbacks['Group.CallbackBeforeCreateTopic']),
      ],
      tracing,
    );
    expect(results.map((result) => result.statusCode)).toEqual([403, 400, 200]);
    const { results: outage } = await invokeBundle([tencentEvent(command, JSON.stringify({ CallbackCommand: command, GroupId: '@TGS#xray' }))], {
      ...tracing,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      IM_WRITE_BUDGET_MS: '100',
    });
    expect(outage.map((result) => result.statusCode)).toEqual([503]);

    const handlerSegments = await eventually(() => {
      const found = daemon.documents().filter((document) => document.name === '## index.handler');
      return found.length === 4 ? found : undefined;
    });
    const flags = handlerSegments.map((segment) => ({
      fault: segment.fault === true,
      error: segment.error === true,
      rejection: (segment.annotations as Record<string, unknown> | undefined)?.[REJECTION_ANNOTATION],
    }));
    expect(flags).toEqual([
      { fault: false, error: true, rejection: 'unknown-sdkappid' },
      { fault: false, error: true, rejection: 'invalid-json' },
      { fault: false, error: false, rejection: undefined },
      { fault: true, error: false, rejection: undefined },
    ]);
  });
});

/** What `read` returns once it returns something, within two seconds (UDP datagrams arrive when they do). */
async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 2_000; waited += 20) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not seen in 2 s');
}

describe('the fallback, as deployed: the callback bundle queues, the drain bundle stores', () => {
  let sqsServer: Awaited<ReturnType<typeof startFauxqs>>;
  let sqs: SQSClient;
  let queueUrl: string;
  /** Where a DynamoDB outage is: a port nothing listens on. */
  let deadEndpoint: string;

  beforeAll(async () => {
    sqsServer = await startFauxqs({ port: 0, logger: false });
    sqs = new SQSClient({ endpoint: sqsServer.address, region: 'eu-west-1', credentials: { accessKeyId: 'bundle', secretAccessKey: 'bundle' } });
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'fallback' }));
    // fauxqs names queues sqs.<region>.localhost, which only some resolvers know; the path is what it routes on.
    queueUrl = `${sqsServer.address}${new URL(QueueUrl).pathname}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    deadEndpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(async () => {
    sqs.destroy();
    await sqsServer.stop();
  });

  const group = (name: string) => JSON.stringify({ CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: '@TGS#fallback', Name: name });
  const withQueue = () => ({ FALLBACK_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqsServer.address, AWS_ENDPOINT_URL_DYNAMODB: deadEndpoint });

  test('with the table down, an after-event is acknowledged and queued; the drain stores it once, however often it runs', async () => {
    const body = group('queued while the table was down');
    const { results, records, metrics } = await invokeBundle([tencentEvent('Group.CallbackAfterGroupInfoChanged', body)], withQueue());
    expect(results).toEqual([{ statusCode: 200, answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } }]);
    expect(records).toEqual([expect.objectContaining({ outcome: 'queued', eventId: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
    expect(metrics.flatMap((document) => metricsIn(document))).toContain('Queued{}=1');

    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    const sqsEvent = {
      Records: Messages.map((message) => ({ messageId: message.MessageId, receiptHandle: message.ReceiptHandle, body: message.Body, eventSource: 'aws:sqs' })),
    };
    const first = await invoke(bundles.drain, [sqsEvent]);
    const again = await invoke(bundles.drain, [sqsEvent]);
    expect([first.results, again.results]).toEqual([[{ batchItemFailures: [] }], [{ batchItemFailures: [] }]]);
    expect([...first.written, ...again.written].map((line) => [line.message, line.outcome])).toEqual([
      ['drained', 'stored'],
      ['drained', 'duplicate'],
    ]);

    const { Items = [] } = await store.client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
    const kept = Items.filter(isEventItem)
      .map(eventOf)
      .filter((event) => event.eventId === records[0]!.eventId);
    expect(kept).toEqual([expect.objectContaining({ payload: body, command: 'Group.CallbackAfterGroupInfoChanged', groupId: '@TGS#fallback' })]);
  });

  test('every metric the dashboard reads is one the bundle emits, with the same dimension set', async () => {
    // Every outcome, so every metric is emitted at least once: the seeds and a rejection, a queued
    // after-event (table down, queue up), and a failed one (both down).
    const topic = (operator: string) => JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', Operator_Account: operator, Name: 'x' });
    const runs = await Promise.all([
      invokeBundle([
        tencentEvent('Group.CallbackAfterGroupInfoChanged', group('dashboard')),
        tencentEvent('Group.CallbackAfterGroupInfoChanged', group('dashboard')),
        tencentEvent('Group.CallbackBeforeCreateTopic', topic('jared')),
        tencentEvent('Group.CallbackBeforeCreateTopic', topic('leckie')),
        tencentEvent('Group.CallbackAfterGroupInfoChanged', '[]'),
      ]),
      invokeBundle([tencentEvent('Group.CallbackAfterGroupInfoChanged', group('dashboard queued'))], withQueue()),
      // The policy's row: a shadow rule that would have refused, and a rate rule whose counters table
      // does not answer (a counter miss)...
      invokeBundle([tencentEvent('Group.CallbackBeforeCreateTopic', topic('shadowed'))], {
        POLICY_COUNTERS_TABLE_NAME: 'counters',
        AWS_ENDPOINT_URL_DYNAMODB: deadEndpoint,
      }),
      // ...and a clock that moves a minute at every reading: the decision is past its deadline, and the
      // rules' evaluation counts are due (they are written once a minute).
      invokeBundle([tencentEvent('Group.CallbackBeforeCreateTopic', topic('jared')), tencentEvent('Group.CallbackBeforeCreateTopic', topic('jared'))], {
        INVOKE_BUNDLE_CLOCK_STEP_MS: '60000',
      }),
      invokeBundle([tencentEvent('Group.CallbackAfterGroupInfoChanged', group('dashboard failed'))], {
        ...withQueue(),
        FALLBACK_QUEUE_URL: `${deadEndpoint}${new URL(queueUrl).pathname}`,
        AWS_ENDPOINT_URL_SQS: deadEndpoint,
      }),
    ]);
    expect(runs.flatMap(({ records }) => records.map((record) => record.outcome)).sort()).toEqual([
      'allowed',
      'allowed',
      'duplicate',
      'failed',
      'queued',
      'refused',
      'rejected',
      'stored',
      'timed-out',
      'timed-out',
    ]);
    const emitted = new Set(runs.flatMap(({ metrics }) => metrics.flatMap(metricsAsRead)));
    // The fan-out consumer's own are checked against its bundle (test/bundle/fan-out-bundle.test.ts).
    const fanOut = new Set<string>(Object.values(fanOutMetricNames));
    const read = dashboardMetrics(synth().template).filter((metric) => !fanOut.has(metric.split(' ')[1]!));
    expect(read.length).toBeGreaterThanOrEqual(6);
    expect(read.filter((metric) => !emitted.has(metric))).toEqual([]);
  });

  test('a damaged message is reported back alone, for SQS to retry and then dead-letter', async () => {
    const { results, written } = await invoke(bundles.drain, [
      {
        Records: [
          { messageId: 'damaged', body: '{"eventId":"not an id"}' },
          { messageId: 'garbled', body: 'not json' },
        ],
      },
    ]);
    expect(results).toEqual([{ batchItemFailures: [{ itemIdentifier: 'damaged' }, { itemIdentifier: 'garbled' }] }]);
    expect(written.map((line) => [line.level, line.message])).toEqual([
      ['ERROR', 'drain failed'],
      ['ERROR', 'drain failed'],
    ]);
  });

  test('with the table and the queue both down, the callback is not acknowledged: 503, logged with its event id', async () => {
    const { results, records } = await invokeBundle([tencentEvent('Group.CallbackAfterGroupInfoChanged', group('lost unless retried'))], {
      ...withQueue(),
      FALLBACK_QUEUE_URL: `${deadEndpoint}${new URL(queueUrl).pathname}`,
      AWS_ENDPOINT_URL_SQS: deadEndpoint,
    });
    expect(results).toEqual([{ statusCode: 503, answer: { ActionStatus: 'FAIL', ErrorCode: 50300, ErrorInfo: expect.stringMatching(/not acknowledged/) } }]);
    expect(records).toEqual([
      expect.objectContaining({ level: 'ERROR', outcome: 'failed', reason: 'store-unavailable', eventId: expect.stringMatching(/^[0-9a-f]{32}$/) }),
    ]);
    expect(records[0]!.error.message).toMatch(/neither the table nor the fallback took it: .+; .+/);
  });
});
