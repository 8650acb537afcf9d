/**
 * `npm run events -- --migrate` from a table of the second key design (created by its definition,
 * legacy-table.ts, and filled as its receiver stored events: the event, its index keys) into the
 * third's, which the receiver of this version has written to since its deploy. The copy is cut off
 * halfway (its DynamoDB endpoint stops answering after a set number of requests, then the child is
 * SIGKILLed), listed meanwhile, and run again. Every listing, before the copy, during it and after,
 * must equal a brute-force oracle's over the old and new events together, each once; the new table
 * must end with each old event exactly once. The stack's outputs (a stand-in of CloudFormation's
 * DescribeStacks) name the tables for `--stack`. Seeded (test/support/seed.ts): TEST_SEED replays it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { secondDesignItem } from '../../../bench/second-design-table.ts';
import { indexRecords } from '../../../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../../../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { streamRecordOf } from '../../../functions/store/event-image.ts';
import { eventOf, isEventItem } from '../../../functions/store/event-item.ts';
import type { EventFilter, EventReader } from '../../../functions/store/event-store.ts';
import { indexesAt, eventsTable as secondDesign } from '../../../functions/store/legacy/legacy-table.ts';
import { isDone, readProgress } from '../../../functions/store/migration-progress.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { listingOrder, MigratingEventReader, matchesListing, wholeTable } from '../../../functions/store/read/migrating-event-reader.ts';
import { LOCAL_TABLE_NAME } from '../../../local/embedded-store.ts';
import { LOCAL_TABLE_WAIT } from '../../../local/ensure-table.ts';
import { type DynamoDbServer, startDynamoDb } from '../../support/dynamodb-servers.ts';
import { account, callback, group, storedAfterEvent, time } from '../../support/generated-callbacks.ts';
import { projectRoot, runScript } from '../../support/processes.ts';
import { testSeed } from '../../support/seed.ts';
import { watchdog } from '../../support/watchdog.ts';

const SEED = testSeed('events migrate');
const APP = '1400000088';
const OLD = 'deployed-events-2';
const NEW = LOCAL_TABLE_NAME;
const generated = fc.sample(fc.record({ callback, receivedAt: time }), { numRuns: 330, seed: SEED });

// The old table holds 300 events; since the deploy, the receiver stored 30 in the new one, 3 of them
// deliveries of old events retried after the deploy (in both tables: the copy must find them there).
const oldEvents = generated.slice(0, 300).map(({ callback: { command, body }, receivedAt }, n) => storedAfterEvent(APP, { command, body, receivedAt }, n));
const newEvents = [
  ...generated.slice(300).map(({ callback: { command, body }, receivedAt }, n) => storedAfterEvent(APP, { command, body, receivedAt }, 300 + n)),
  ...oldEvents.slice(0, 3),
];
const everyEvent = [...oldEvents, ...newEvents.slice(0, -3)];

/** What a listing must return, by brute force over every event. */
const oracle = (filter: EventFilter) =>
  everyEvent
    .filter((event) => matchesListing(event, filter))
    .sort((a, b) => (listingOrder(a) < listingOrder(b) ? 1 : -1))
    .slice(0, filter.limit)
    .map((event) => event.eventId);

const filters: EventFilter[] = [
  { sdkAppIds: [APP], limit: Number.POSITIVE_INFINITY },
  { sdkAppIds: [APP], limit: 25 },
  ...fc
    .sample(
      fc.record(
        {
          groupId: fc.option(group, { nil: undefined }),
          user: fc.option(account, { nil: undefined }),
          command: fc.option(fc.constantFrom('Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg', 'Sns.CallbackFriendAdd'), { nil: undefined }),
          since: fc.option(time, { nil: undefined }),
          until: fc.option(time, { nil: undefined }),
          limit: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(Number.POSITIVE_INFINITY)),
        },
        { requiredKeys: ['limit'] },
      ),
      { numRuns: 6, seed: SEED + 1 },
    )
    .map((filter) => ({ sdkAppIds: [APP], ...filter })),
];

const STACK = 'TencentImCallbacks';

/**
 * CloudFormation's DescribeStacks as the SDK reads it (the query protocol's XML), for the one stack
 * whose outputs name both tables (callback-stack.ts); any other stack does not exist.
 */
async function cloudFormationStandIn() {
  const outputs = { EventsTableName: NEW, OldEventsTableName: OLD };
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const name = new URLSearchParams(body).get('StackName');
    response.setHeader('content-type', 'text/xml');
    if (name !== STACK) {
      response.statusCode = 400;
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error></ErrorResponse>`,
      );
      return;
    }
    const members = Object.entries(outputs).map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`);
    response.end(
      `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${STACK}</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${members.join('')}</Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let server: DynamoDbServer;
let cloudFormation: Awaited<ReturnType<typeof cloudFormationStandIn>>;
const env = () => ({
  AWS_ENDPOINT_URL_DYNAMODB: server.endpoint,
  AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
  AWS_REGION: 'local',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});

beforeAll(async () => {
  cloudFormation = await cloudFormationStandIn();
  server = await startDynamoDb('dynalite');
  const { bySubject, byApp } = secondDesign.indexes;
  const keyNames = [secondDesign.partitionKey, bySubject.partitionKey, bySubject.sortKey, byApp.partitionKey, byApp.sortKey];
  await server.client.send(
    new CreateTableCommand({
      TableName: OLD,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keyNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: secondDesign.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: indexesAt().map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: index.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
      })),
    }),
  );
  await waitUntilTableExists({ client: server.client, ...LOCAL_TABLE_WAIT }, { TableName: OLD });
  for (let i = 0; i < oldEvents.length; i += 25) {
    const chunk = oldEvents.slice(i, i + 25).map((event) => ({ PutRequest: { Item: secondDesignItem(event) } }));
    await server.client.send(new BatchWriteCommand({ RequestItems: { [OLD]: chunk } }));
  }
  // The receiver of this version since its deploy: the put, then the fan-out's indexer on its stream.
  const store = new DynamoDbEventStore(server.client, NEW);
  const records = [];
  for (const [n, event] of newEvents.entries()) {
    const { key } = await store.put(event);
    records.push(streamRecordOf(event, key, { source: 'receiver', sequenceNumber: String(n).padStart(12, '0') }));
  }
  await indexRecords({ writer: new DynamoDbDerivedItemWriter(server.client, NEW) })(records);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await cloudFormation?.close();
});

const listed = (reader: EventReader) => Promise.all(filters.map(async (filter) => (await reader.list(filter)).map((event) => event.eventId)));
const expected = () => filters.map(oracle);

/** The new table's event items, by id: how many of each. */
async function eventCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await server.client.send(new ScanCommand({ TableName: NEW, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) if (isEventItem(item)) counts.set(eventOf(item).eventId, (counts.get(eventOf(item).eventId) ?? 0) + 1);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return counts;
}

/**
 * A proxy to the DynamoDB endpoint that answers the first `answered` requests and holds every later
 * one unanswered, as a copy looks when its process dies at that point: `stalled` resolves then.
 */
async function cutOffProxy(target: string, answered: number) {
  let seen = 0;
  let stall: () => void = () => undefined;
  const stalled = new Promise<void>((resolve) => (stall = resolve));
  const server: Server = createServer(async (request, response) => {
    seen += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (seen > answered) return stall();
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<
      string,
      string
    >;
    const upstream = await fetch(`${target}${request.url}`, { method: request.method, headers, body: Buffer.concat(chunks) });
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stalled,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const events = (...args: string[]) => runScript('cli/events.ts', args, env());

test('before any copy, a listing that knows the old table (the stack names it) lists its events with the new ones, each once', async () => {
  expect(await listed(new MigratingEventReader(server.client, NEW, [wholeTable(OLD)]))).toEqual(expected());
  const before = await events('--stack', STACK, '--limit', 'all', '--json', '--app', APP);
  expect(
    before.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).eventId),
  ).toEqual(oracle(filters[0]!));
  expect(before.stderr).toContain(
    `No copy from ${OLD} has started: its events are listed from it too, each listing reading it whole. Copy them: npm run events -- --migrate --from ${OLD} --to ${NEW}`,
  );
  // Without the old table's name (no stack, no copy yet) only the new table is read.
  expect(await listed(new DynamoDbEventReader(server.client, NEW))).not.toEqual(expected());
});

test('a copy cut off halfway, listed meanwhile, run again: each old event once, listings as the oracle', async () => {
  // The copy makes ~6 requests to start, then ~110 a page of 100 (a Scan, the puts, a marker's, the
  // indexer's batch writes, the progress): two segments of 300 events need ~360. Cut off at 300, at
  // least one segment has saved its first page (else both made fewer than ~125), and not all is done.
  const proxy = await cutOffProxy(server.endpoint, 300);
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, [join(projectRoot, 'cli/events.ts'), '--migrate', '--from', OLD, '--to', NEW, '--segments', '2'], {
      cwd: projectRoot,
      env: { ...process.env, ...env(), AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint },
    });
    watchdog(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child!.on('exit', resolve));
    // Cut off, not finished nor failed: the proxy holds its request when it is killed.
    expect(await Promise.race([proxy.stalled.then(() => 'cut off'), exited.then(() => `exited early:\n${stderr}`)])).toBe('cut off');
    child.kill('SIGKILL');
    await exited;
    expect(stderr).toMatch(/^copied 0, already there 0, 0\/2 segments done, .*\(0%\)$/m);
  } finally {
    child?.kill('SIGKILL');
    await proxy.close();
  }

  // Halfway: some old events copied, not all, and the progress says so.
  const progress = await readProgress(server.client, NEW, OLD);
  expect(progress).toBeDefined();
  expect(isDone(progress!)).toBe(false);
  expect(progress!.segments.some((segment) => segment.startKey !== undefined || segment.done)).toBe(true);
  const halfway = await eventCounts();
  const oldCopied = oldEvents.filter((event) => halfway.has(event.eventId)).length;
  expect(oldCopied).toBeGreaterThan(3);
  expect(oldCopied).toBeLessThan(oldEvents.length);

  // Meanwhile, listings of the new table read what the copy has not reached from the old one: every event once.
  expect(await listed(new MigratingEventReader(server.client, NEW, [progress!]))).toEqual(expected());
  const during = await events('--table', NEW, '--limit', 'all', '--json', '--app', APP);
  expect(
    during.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).eventId),
  ).toEqual(oracle(filters[0]!));
  expect(during.stderr).toMatch(new RegExp(`The copy from ${OLD} is at \\d+%`));

  // Run again, the tables named by the stack: it resumes, redoes the page it was in (its puts say duplicate), and says it is done.
  const rerun = await events('--migrate', '--stack', STACK);
  const lines = rerun.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^Resuming the copy from /);
  expect(lines.at(-1)).toMatch(new RegExp(`^Done: the events of ${OLD} are in ${NEW} \\(\\d+ copied, \\d+ there already\\)`));
  const done = await readProgress(server.client, NEW, OLD);
  expect(isDone(done!)).toBe(true);
  // Every old event counted once in all: copied, or found there (the 3 retried into the new table, the page redone).
  expect(done!.copied + done!.already).toBe(oldEvents.length);
  expect(done!.already).toBeGreaterThan(3);

  const after = await eventCounts();
  expect([...after.values()].every((count) => count === 1)).toBe(true);
  expect([...after.keys()].sort()).toEqual(everyEvent.map((event) => event.eventId).sort());
  // Done: the new table alone lists exactly what the oracle does, and the listing no longer mentions the copy.
  expect(await listed(new DynamoDbEventReader(server.client, NEW))).toEqual(expected());
  const afterwards = await events('--table', NEW, '--limit', '5', '--json', '--app', APP);
  expect(afterwards.stderr).not.toMatch(/copy/);
}, 120_000);

test('a wrong --from or --to, or no credentials, is one line, no stack trace', async () => {
  const failing = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runScript('cli/events.ts', args, { ...env(), ...extraEnv }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
  // No credentials anywhere the SDK looks (the environment, the files, the instance metadata).
  const noCredentials = {
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const [backwards, missing, uncredentialed] = await Promise.all([
    failing(['--migrate', '--from', NEW, '--to', OLD]),
    failing(['--migrate', '--from', 'no-such-table', '--to', NEW]),
    failing(['--migrate', '--from', OLD, '--to', NEW], noCredentials),
  ]);
  expect(backwards).toEqual({
    code: 1,
    stderr: expect.stringMatching(new RegExp(`^${NEW} is not a table of the second key design \\(its key is p HASH, s RANGE`)),
  });
  expect(backwards.stderr.trim().split('\n')).toHaveLength(1);
  expect(missing).toEqual({ code: 1, stderr: 'No table no-such-table in local: check --from, and --region or AWS_REGION\n' });
  expect(uncredentialed).toEqual({ code: 1, stderr: expect.stringMatching(/^Could not read table \S+ in local: CredentialsProviderError: [^\n]*\n$/) });
});
