/**
 * `npm run events -- --reindex [--since --until]`: events whose indexer batch was lost (put, never
 * indexed) are indexed again by arrival window, the migration's copies too; running it again over
 * everything changes nothing a listing shows, nor the table's item count.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readAgain } from '../../../functions/callback/after-events.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import type { EventFilter, StoredEvent } from '../../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { listingOrder, matchesListing } from '../../../functions/store/read/migrating-event-reader.ts';
import { reindexEvents } from '../../../functions/store/reindex-events.ts';
import { LOCAL_TABLE_NAME } from '../../../local/embedded-store.ts';
import { type DynamoDbServer, startDynamoDb } from '../../support/dynamodb-servers.ts';
import { type Body, storedAfterEvent } from '../../support/generated-callbacks.ts';
import { runScript } from '../../support/processes.ts';

const APP = '1400000099';
const T0 = Date.UTC(2026, 0, 1);

function groupMessage(sdkAppId: string, at: number, n: number): StoredEvent {
  const command = 'Group.CallbackAfterSendMsg';
  const payload = JSON.stringify({ CallbackCommand: command, GroupId: '@g', Type: 'Public', From_Account: 'u1', EventTime: at, MsgBody: [], Nonce: n });
  return readAgain({
    eventId: eventIdOf(sdkAppId, command, payload),
    command,
    kind: 'after',
    sdkAppId,
    receivedAt: at,
    payload,
    valid: true,
    expiresAt: 4_000_000_000,
  });
}

/** 40 events a minute apart: group messages, C2C messages (timed by MsgTime), friendships (untimed). */
const events: StoredEvent[] = Array.from({ length: 40 }, (_, n) => {
  const at = T0 + n * 60_000;
  const [command, body]: [string, Body] =
    n % 3 === 0
      ? ['Group.CallbackAfterSendMsg', { GroupId: `@g${n % 2}`, Type: 'Public', From_Account: `u${n % 4}`, EventTime: at, MsgBody: [] }]
      : n % 3 === 1
        ? ['C2C.CallbackAfterSendMsg', { From_Account: `u${n % 4}`, To_Account: `u${(n + 1) % 4}`, MsgTime: Math.floor(at / 1000), MsgBody: [] }]
        : ['Sns.CallbackFriendAdd', { PairList: [{ From_Account: `u${n % 4}`, To_Account: 'u9', Initiator_Account: `u${n % 4}` }], ClientCmd: 'friend_add' }];
  return storedAfterEvent(APP, { command, body, receivedAt: at }, n, 4_000_000_000);
});

const oracle = (stored: readonly StoredEvent[], filter: Omit<EventFilter, 'sdkAppIds' | 'limit'>) =>
  stored
    .filter((event) => matchesListing(event, { sdkAppIds: [APP], ...filter }))
    .sort((a, b) => (listingOrder(a) < listingOrder(b) ? 1 : -1))
    .map((event) => event.eventId);

let server: DynamoDbServer;
beforeAll(async () => {
  server = await startDynamoDb('dynalite');
  // Put, never indexed: a lost indexer batch. The last five as the migration's copies (marked).
  const store = new DynamoDbEventStore(server.client, LOCAL_TABLE_NAME);
  const copies = new DynamoDbEventStore(server.client, LOCAL_TABLE_NAME, { copies: true });
  for (const [n, event] of events.entries()) await (n < 35 ? store : copies).put(event);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const listed = async (filter: Omit<EventFilter, 'sdkAppIds' | 'limit'>) =>
  (await new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME).list({ sdkAppIds: [APP], limit: Number.POSITIVE_INFINITY, ...filter })).map(
    (event) => event.eventId,
  );
const itemCount = async () => (await server.client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, Select: 'COUNT' }))).Count;

test('the events that arrived in the window are indexed again, and only they; again over everything, nothing changes twice', async () => {
  expect(await listed({})).toEqual([]);
  const since = T0 + 10 * 60_000;
  const until = T0 + 37 * 60_000;
  const { stderr } = await runScript(
    'cli/events.ts',
    ['--reindex', '--table', LOCAL_TABLE_NAME, '--since', new Date(since).toISOString(), '--until', new Date(until).toISOString()],
    { AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, AWS_REGION: 'local', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
  );
  expect(stderr).toMatch(/^Reindexed table .*: 27 events that arrived since .* indexed again\.$/m);
  const inWindow = events.filter((event) => event.receivedAt >= since && event.receivedAt < until);
  expect(await listed({})).toEqual(oracle(inWindow, {}));
  expect(await listed({ command: 'Sns.CallbackFriendAdd' })).toEqual(oracle(inWindow, { command: 'Sns.CallbackFriendAdd' }));
  // An untimed friendship is listed under its accounts by pointers alone.
  expect(await listed({ user: 'u9' })).toEqual(oracle(inWindow, { user: 'u9' }));

  for await (const _ of reindexEvents(server.client, LOCAL_TABLE_NAME, {}));
  const items = await itemCount();
  for await (const _ of reindexEvents(server.client, LOCAL_TABLE_NAME, {}));
  expect(await itemCount()).toBe(items);
  for (const filter of [{}, { user: 'u9' }, { user: 'u1' }, { groupId: '@g1' }, { command: 'C2C.CallbackAfterSendMsg' }]) {
    expect({ filter, listed: await listed(filter) }).toEqual({ filter, listed: oracle(events, filter) });
  }
});

test('a narrower window run later writes its own digest items: the events of the first run in the same minute stay listed', async () => {
  // Another app, months later: the other test's windows and listings never see these two.
  const app = '1400000098';
  const t1 = Date.UTC(2026, 5, 1);
  const [older, newer] = [groupMessage(app, t1 + 20_000, 1), groupMessage(app, t1 + 40_000, 2)];
  const store = new DynamoDbEventStore(server.client, LOCAL_TABLE_NAME);
  for (const event of [older, newer]) await store.put(event);
  const appListed = async (filter: Omit<EventFilter, 'sdkAppIds' | 'limit'>) =>
    (await new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME).list({ sdkAppIds: [app], limit: 10, ...filter })).map((event) => event.eventId);

  for await (const _ of reindexEvents(server.client, LOCAL_TABLE_NAME, { since: t1, until: t1 + 60_000 }));
  // The newer alone, first page again: a page numbered 0 both times would write over the digest item of both.
  for await (const _ of reindexEvents(server.client, LOCAL_TABLE_NAME, { since: t1 + 30_000, until: t1 + 60_000 }));
  const both = [newer.eventId, older.eventId];
  expect(await appListed({})).toEqual(both);
  expect(await appListed({ command: 'Group.CallbackAfterSendMsg' })).toEqual(both);
});
