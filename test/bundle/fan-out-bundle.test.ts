import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { entrySize, MAX_ENTRY_BYTES } from '../../functions/fan-out/event-entry.ts';
import { fanOutMetricNames } from '../../functions/fan-out/metric-names.ts';
import { eventOf } from '../../functions/store/event-item.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { scanEventItems } from '../../functions/store/read/scan-events.ts';
import { LOCAL_TABLE_NAME } from '../../local/embedded-store.ts';
import { dashboardMetrics } from '../support/dashboard-metrics.ts';
import { type DeployedBundles, synthesizeDeployedBundles } from '../support/deployed-bundle.ts';
import { type EventBridgeStandIn, type PutEventsEntry, startEventBridgeStandIn } from '../support/eventbridge-stand-in.ts';
import { post, startTestReceiver, type TestReceiver, testSettings } from '../support/receiver.ts';
import { synth } from '../support/stack-template.ts';

// Issue 11: the fan-out consumer as cdk deploys it, in a fresh process, fed stream records made from
// items the receiver really stored, publishing to a local stand-in of EventBridge's PutEvents.

const outdir = mkdtempSync(join(tmpdir(), 'fan-out-bundle-'));
const BUS = 'Test-FanOutBus';
let bundles: DeployedBundles;
let receiver: TestReceiver;
let eventBridge: EventBridgeStandIn;

beforeAll(async () => {
  bundles = synthesizeDeployedBundles(testSettings(), outdir);
  receiver = await startTestReceiver({ settings: testSettings({ maxBodyBytes: 2 * 1024 * 1024 }) });
  eventBridge = await startEventBridgeStandIn();
}, 120_000);
afterAll(async () => {
  await receiver.close();
  await eventBridge.close();
  rmSync(outdir, { recursive: true, force: true });
});
beforeEach(() => {
  eventBridge.fail(undefined);
  eventBridge.calls.length = 0;
  eventBridge.accepted.length = 0;
});

/** A stored event and the item the table holds it as. */
type Stored = StoredEvent & { readonly image: Record<string, unknown> };

/** An item as Lambda's event JSON carries it: binary attributes as base64 text. */
const lambdaImage = (item: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(marshall(item, { removeUndefinedValues: true })).map(([name, value]) => [
      name,
      value.B === undefined ? value : { B: Buffer.from(value.B).toString('base64') },
    ]),
  );

let sequence = 1_000;
/** A stream record as DynamoDB Streams hands it to Lambda, from an item as the table holds it. */
function streamRecord(item: Stored, eventName: 'INSERT' | 'REMOVE' = 'INSERT') {
  const image = lambdaImage(item.image);
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Events/stream/2026-12-01T00:00:00.000',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(item.receivedAt / 1000),
      Keys: { p: image.p, s: image.s },
      ...(eventName === 'INSERT' ? { NewImage: image } : { OldImage: image }),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** The bundle in a fresh Node process, as Lambda runs it, with the stack's environment for it; it indexes into `dynamodbEndpoint`'s table. */
async function invokeFanOut(records: unknown[], dynamodbEndpoint = receiver.dynamodbEndpoint) {
  const child = execFile(process.execPath, [join(import.meta.dirname, '../support/invoke-bundle.ts'), bundles.fanOut], {
    env: {
      PATH: process.env.PATH,
      EVENT_BUS_NAME: BUS,
      POWERTOOLS_METRICS_NAMESPACE: 'TencentImCallbacks',
      POWERTOOLS_TRACE_ENABLED: 'true',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bundle',
      AWS_SECRET_ACCESS_KEY: 'bundle',
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      EVENTS_TABLE_NAME: LOCAL_TABLE_NAME,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'fan-out-test',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  child.stdin!.end(JSON.stringify([{ Records: records }]));
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve({ stdout: out, stderr: err }) : reject(new Error(`bundle exited ${code}: ${err}`))));
  });
  const lines = stdout.trim().split('\n');
  const [result] = JSON.parse(lines.pop()!) as [{ batchItemFailures: { itemIdentifier: string }[] }];
  const written = [...lines, ...stderr.split('\n')].filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);
  return { result, written, metrics: written.filter((line) => '_aws' in line) };
}

const groupBody = (tag: string, n: number) =>
  JSON.stringify({
    CallbackCommand: 'Group.CallbackAfterCreateGroup',
    GroupId: `@TGS#${tag}${n}`,
    Type: 'Public',
    Name: `${tag} ${n}`,
    Operator_Account: 'leckie',
    EventTime: 1_670_574_414_000 + n,
  });

/** Posts after-events through the local receiver and reads the stored items back, in the order posted. */
async function storeThroughReceiver(bodies: { command: string; body: string }[]): Promise<Stored[]> {
  for (const { command, body } of bodies) expect((await post(receiver, { command, body })).answer).toMatchObject({ ErrorCode: 0 });
  const stored: Stored[] = [];
  for await (const items of scanEventItems(receiver.store.client, LOCAL_TABLE_NAME)) stored.push(...items.map((image) => ({ ...eventOf(image), image })));
  return bodies.map(({ body }) => {
    const item = stored.find((event) => event.payload === body);
    expect(item).toBeDefined();
    return item!;
  });
}

const detailOf = (entry: PutEventsEntry) => JSON.parse(entry.Detail) as Record<string, any>;

describe('the fan-out bundle cdk deploys', () => {
  test('publishes each inserted item as one tencent.im entry on the bus, 10 per call at most; skips TTL removals', async () => {
    const bodies = Array.from({ length: 12 }, (_, n) => ({ command: 'Group.CallbackAfterCreateGroup', body: groupBody('shape', n) }));
    bodies.push({
      command: 'Group.CallbackAfterTotallyNew',
      body: JSON.stringify({ CallbackCommand: 'Group.CallbackAfterTotallyNew', GroupId: '@TGS#unknown', Extra: [1, 2] }),
    });
    // A before-callback is answered, never stored, so never published.
    await post(receiver, {
      command: 'Group.CallbackBeforeCreateTopic',
      body: JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', Name: 'x' }),
    });
    const items = await storeThroughReceiver(bodies);
    const records = [...items.map((item) => streamRecord(item)), streamRecord(items[0]!, 'REMOVE')];

    const { result, metrics } = await invokeFanOut(records);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(eventBridge.calls.map((call) => call.length)).toEqual([10, 3]);
    expect(eventBridge.accepted).toHaveLength(13);

    for (const [index, item] of items.entries()) {
      const entry = eventBridge.accepted.find((e) => detailOf(e).eventId === item.eventId)!;
      expect(entry).toMatchObject({ EventBusName: BUS, Source: 'tencent.im', DetailType: item.command, Resources: [] });
      expect(entry.Time).toBe(item.receivedAt / 1000);
      const expected: Record<string, unknown> = {
        eventId: item.eventId,
        sdkAppId: '1400000000',
        command: item.command,
        kind: index < 12 ? 'after' : 'unregistered',
        groupId: item.groupId,
        receivedAt: item.receivedAt,
        body: JSON.parse(bodies[index]!.body),
      };
      if (item.eventTime !== undefined) expected.eventTime = item.eventTime;
      if (item.user !== undefined) expected.user = item.user;
      // Absent fields are left out, not null: no topicId here.
      expect(detailOf(entry)).toEqual(expected);
    }
    const emitted = metrics.flatMap((document) =>
      document._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => [metric.Name, document[metric.Name]]),
    );
    expect(emitted).toContainEqual(['FanOutPublished', 13]);
    // The dashboard reads it with the dimension set the bundle emits it with.
    const keys = metrics.flatMap((document) => {
      const [directive] = document._aws.CloudWatchMetrics;
      return directive.Metrics.map((metric: { Name: string }) => `${directive.Namespace} ${metric.Name} {${[...directive.Dimensions[0]].sort().join(',')}}`);
    });
    const onDashboard = dashboardMetrics(synth().template).filter((metric) => metric.includes(` ${fanOutMetricNames.published} `));
    expect(onDashboard).toHaveLength(1);
    expect(keys).toContain(onDashboard[0]);
  });

  test('retries the entries PutEvents reports failed, and reports back only those that keep failing', async () => {
    const items = await storeThroughReceiver(Array.from({ length: 5 }, (_, n) => ({ command: 'Group.CallbackAfterCreateGroup', body: groupBody('retry', n) })));
    const records = items.map((item) => streamRecord(item));
    // Entries 1 and 3 are throttled twice, then taken on the third call; entry 4 fails every time.
    eventBridge.fail((entry, attempt) => {
      const name = String(detailOf(entry).body.Name);
      if (name === 'retry 4') return 'InternalFailure';
      return (name === 'retry 1' || name === 'retry 3') && attempt <= 2 ? 'ThrottlingException' : undefined;
    });

    const { result, written } = await invokeFanOut(records);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[4]!.dynamodb.SequenceNumber }] });
    expect(eventBridge.accepted.map((entry) => detailOf(entry).body.Name).sort()).toEqual(['retry 0', 'retry 1', 'retry 2', 'retry 3']);
    // One call for all five, then the failed ones again, four calls in all: never the ones already taken.
    expect(eventBridge.calls.map((call) => call.map((entry) => detailOf(entry).body.Name))).toEqual([
      ['retry 0', 'retry 1', 'retry 2', 'retry 3', 'retry 4'],
      ['retry 1', 'retry 3', 'retry 4'],
      ['retry 1', 'retry 3', 'retry 4'],
      ['retry 4'],
    ]);
    expect(written).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'fan-out failed', eventId: items[4]!.eventId, error: expect.stringMatching(/InternalFailure/) }),
    );
  });

  test('a batch that fails whole fails the invocation, for Lambda to bisect and retry', async () => {
    const items = await storeThroughReceiver([{ command: 'Group.CallbackAfterCreateGroup', body: groupBody('whole', 0) }]);
    eventBridge.fail(() => 'InternalFailure');
    await expect(invokeFanOut([streamRecord(items[0]!)])).rejects.toThrow(/All records failed processing/);
  });

  test('an event too large for one entry is published without its body, bodyOmitted: true', async () => {
    // Stored compressed (the item limit is 400 KB), and larger than an entry once decoded.
    const text = randomBytes(200 * 1024).toString('base64');
    const body = JSON.stringify({
      CallbackCommand: 'Group.CallbackAfterSendMsg',
      GroupId: '@TGS#large',
      From_Account: 'jared',
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_ENTRY_BYTES);
    const [item] = await storeThroughReceiver([{ command: 'Group.CallbackAfterSendMsg', body }]);

    const { result, metrics } = await invokeFanOut([streamRecord(item!)]);
    expect(result).toEqual({ batchItemFailures: [] });
    const [entry] = eventBridge.accepted;
    expect(detailOf(entry!)).toEqual({
      eventId: item!.eventId,
      sdkAppId: '1400000000',
      command: 'Group.CallbackAfterSendMsg',
      kind: 'after',
      groupId: '@TGS#large',
      ...(item!.user === undefined ? {} : { user: item!.user }),
      receivedAt: item!.receivedAt,
      bodyOmitted: true,
    });
    expect(entrySize({ ...entry!, Time: new Date() })).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    const emitted = metrics.flatMap((document) => document._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name));
    expect(emitted).toContain('FanOutBodiesOmitted');
  });

  test('indexes the batch into the table before it publishes: a digest of the app and of the command, and its metric', async () => {
    const items = await storeThroughReceiver(Array.from({ length: 3 }, (_, n) => ({ command: 'Group.CallbackAfterCreateGroup', body: groupBody('index', n) })));
    await receiver.stream.index.idle();
    const before = await digestCount();
    const { result, metrics } = await invokeFanOut(items.map((item) => streamRecord(item)));
    expect(result).toEqual({ batchItemFailures: [] });
    // The local indexer had indexed them already: the bundle's are the batch's own (its stream position).
    expect((await digestCount()) - before).toBeGreaterThanOrEqual(2);
    const emitted = metrics.flatMap((document) =>
      document._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => [metric.Name, document[metric.Name]]),
    );
    expect(emitted).toContainEqual([fanOutMetricNames.indexedItems, expect.any(Number)]);
  });

  test('a batch the indexer cannot write fails whole, and nothing of it is published', async () => {
    const items = await storeThroughReceiver([{ command: 'Group.CallbackAfterCreateGroup', body: groupBody('unindexed', 0) }]);
    await expect(invokeFanOut([streamRecord(items[0]!)], 'http://127.0.0.1:9')).rejects.toThrow(/fan-out indexing failed|ECONNREFUSED/);
    expect(eventBridge.accepted).toEqual([]);
  });
});

/** How many digest items the receiver's table holds. */
async function digestCount(): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await receiver.store.client.send(
      new ScanCommand({ TableName: LOCAL_TABLE_NAME, FilterExpression: 'attribute_exists(d)', Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
}
