/**
 * Listings of the third key design against a brute-force oracle, on dynalite and DynamoDB Local:
 * generated callbacks of eight commands (group messages, a live room, C2C messages timed by MsgTime,
 * members joining, owner changes, friendships and topics without a time, presence, alerts), each put
 * through the store's adapter, some delivered twice (a retry arriving later), then indexed by the
 * fan-out's indexer stage from the stream records of what was stored, one batch indexed twice in
 * another split (a replayed digest batch). Every listing — by group, by account in any role, by
 * command, across the app, with since (included), until (excluded) and limits — must equal the
 * oracle's, newest first, each event once. Seeded (test/support/seed.ts): TEST_SEED replays it.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { indexRecords } from '../../../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../../../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { streamRecordOf } from '../../../functions/store/event-image.ts';
import { keyTimeOf, time13 } from '../../../functions/store/event-keys.ts';
import type { EventFilter, StoredEvent } from '../../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { LOCAL_TABLE_NAME, localClient } from '../../../local/embedded-store.ts';
import { type DynamoDbServer, describeEachKind, startDynamoDb } from '../../support/dynamodb-servers.ts';
import { ACCOUNTS, account, type Body, callback, GROUPS, group, storedAfterEvent, T0, time } from '../../support/generated-callbacks.ts';
import { testSeed } from '../../support/seed.ts';

const SERVER_TIMEOUT_MS = 120_000;
const SEED = testSeed('event listings');
const APP = '1400000077';
/** Every group listed, the quiet one too. */
const ALL_GROUPS = [...GROUPS, '@quiet'];

interface Generated {
  readonly command: string;
  readonly body: Body;
  /** When it first arrived: the order of an event without a time. */
  readonly receivedAt: number;
  /** Delivered a second time, later (Tencent's retry whose first answer was lost). */
  readonly retried: boolean;
}

const generated = [
  ...fc.sample(
    fc
      .record({ callback, receivedAt: time, retried: fc.nat(9).map((n) => n === 0) })
      .map(({ callback: { command, body }, receivedAt, retried }): Generated => ({ command, body, receivedAt, retried })),
    { numRuns: 400, seed: SEED },
  ),
  // A quiet group: five messages.
  ...Array.from({ length: 5 }, (_, n) => ({
    command: 'Group.CallbackAfterSendMsg',
    body: { GroupId: '@quiet', Type: 'Public', From_Account: 'u0', EventTime: T0 + n * 60_000, MsgBody: [] },
    receivedAt: T0 + n * 60_000,
    retried: false,
  })),
];

const names = (event: StoredEvent, user: string) =>
  event.actor === user || event.placeAccount === user || (event.accounts ?? []).some((named) => named.account === user);

/** What a listing must return, computed from every stored event by brute force. */
function oracle(stored: readonly StoredEvent[], filter: EventFilter): string[] {
  const order = (event: StoredEvent) => `${time13(keyTimeOf(event) ?? event.receivedAt)}#${event.eventId}`;
  return stored
    .filter((event) => filter.groupId === undefined || (event.groupIds ?? []).includes(filter.groupId))
    .filter((event) => filter.user === undefined || names(event, filter.user))
    .filter((event) => filter.command === undefined || event.command === filter.command)
    .filter((event) => {
      const at = keyTimeOf(event) ?? event.receivedAt;
      return (filter.since === undefined || at >= filter.since) && (filter.until === undefined || at < filter.until);
    })
    .sort((a, b) => (order(a) < order(b) ? 1 : -1))
    .slice(0, filter.limit)
    .map((event) => event.eventId);
}

const filters = fc.sample(
  fc.record(
    {
      groupId: fc.option(group, { nil: undefined }),
      user: fc.option(account, { nil: undefined }),
      command: fc.option(fc.constantFrom('Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg', 'Sns.CallbackFriendAdd', 'State.StateChange'), {
        nil: undefined,
      }),
      since: fc.option(time, { nil: undefined }),
      until: fc.option(time, { nil: undefined }),
      limit: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(Number.POSITIVE_INFINITY)),
    },
    { requiredKeys: ['limit'] },
  ),
  { numRuns: 40, seed: SEED + 1 },
);

describeEachKind('listings of the third key design on %s', (kind) => {
  let server: DynamoDbServer;
  let reader: DynamoDbEventReader;
  /** Query calls the reader makes, counted by a middleware of its own client. */
  const calls = new Map<string, number>();
  const stored: StoredEvent[] = [];

  beforeAll(async () => {
    server = await startDynamoDb(kind);
    const store = new DynamoDbEventStore(server.client, LOCAL_TABLE_NAME);
    const records = [];
    for (const [index, callbackOf] of generated.entries()) {
      const event = storedAfterEvent(APP, callbackOf, index);
      const result = await store.put(event);
      expect(result.outcome).toBe('stored');
      stored.push(event);
      records.push(streamRecordOf(event, result.key, { source: 'test-stream', sequenceNumber: String(index).padStart(12, '0') }));
      if (callbackOf.retried) {
        // The retry carries the same body, later: the same key, so nothing is stored twice and its order stays the first's.
        const retry = await store.put({ ...event, receivedAt: event.receivedAt + 5_000 });
        expect(retry).toEqual({ outcome: 'duplicate', key: expect.objectContaining({ partitionKey: result.key.partitionKey, sortKey: result.key.sortKey }) });
      }
    }
    const index = indexRecords({ writer: new DynamoDbDerivedItemWriter(server.client, LOCAL_TABLE_NAME) });
    for (let i = 0; i < records.length; i += 25) await index(records.slice(i, i + 25));
    // A batch the stream hands over again, split otherwise (Lambda's bisection): its digest entries are written twice.
    await index(records.slice(10, 40).map((record) => ({ ...record, eventSourceARN: 'test-stream-again' })));

    const client = localClient(server.endpoint);
    client.middlewareStack.add((next, context) => (args) => {
      calls.set(context.commandName!, (calls.get(context.commandName!) ?? 0) + 1);
      return next(args);
    });
    reader = new DynamoDbEventReader(DynamoDBDocumentClient.from(client), LOCAL_TABLE_NAME);
  }, SERVER_TIMEOUT_MS * 2);
  afterAll(async () => {
    await server?.close();
  }, SERVER_TIMEOUT_MS);

  const list = async (filter: Omit<EventFilter, 'sdkAppIds'>) => (await reader.list({ sdkAppIds: [APP], ...filter })).map((event) => event.eventId);

  test('every generated filter lists exactly what the oracle does, newest first, each event once', async () => {
    for (const filter of filters) {
      expect({ filter, listed: await list(filter) }).toEqual({ filter, listed: oracle(stored, { sdkAppIds: [APP], ...filter }) });
    }
  });

  test('an account in every role: sender, receiver, member joined, old and new owner, both sides of a friendship', async () => {
    for (const user of ACCOUNTS) {
      const listed = await list({ user, limit: Number.POSITIVE_INFINITY });
      expect(listed).toEqual(oracle(stored, { sdkAppIds: [APP], user, limit: Number.POSITIVE_INFINITY }));
      const roles = new Set(stored.filter((event) => listed.includes(event.eventId)).flatMap((event) => (event.accounts ?? []).map((named) => named.role)));
      expect({ user, roles: [...roles].sort() }).toEqual({ user, roles: expect.arrayContaining(['joined', 'receiver', 'sender']) });
    }
  });

  test('whole listings, page by page: the app, each command, each group', async () => {
    const all = { limit: Number.POSITIVE_INFINITY };
    expect(await list(all)).toEqual(oracle(stored, { sdkAppIds: [APP], ...all }));
    expect(await list(all)).toHaveLength(stored.length);
    for (const command of new Set(stored.map((event) => event.command))) {
      expect(await list({ command, ...all })).toEqual(oracle(stored, { sdkAppIds: [APP], command, ...all }));
    }
    for (const groupId of ALL_GROUPS) expect(await list({ groupId, ...all })).toEqual(oracle(stored, { sdkAppIds: [APP], groupId, ...all }));
  });

  test('query counts (the issue’s bounds): newest 50 across the app or of one command ≤ 64 Queries (16 digest keys, then pages); a quiet group ≤ 8; the live room its 128 keys', async () => {
    const queries = async (filter: Omit<EventFilter, 'sdkAppIds'>) => {
      calls.clear();
      await list(filter);
      return calls.get('QueryCommand') ?? 0;
    };
    expect(await queries({ limit: 50 })).toBeLessThanOrEqual(64);
    expect(await queries({ command: 'State.StateChange', limit: 50 })).toBeLessThanOrEqual(64);
    expect(await queries({ groupId: '@quiet', limit: 50 })).toBe(8);
    // Each of its keys once, then more pages of the busiest.
    expect(await queries({ groupId: '@live', limit: 50 })).toBeGreaterThanOrEqual(128);
    expect(await queries({ groupId: '@live', limit: 50 })).toBeLessThanOrEqual(2 * 128);
  });
});
