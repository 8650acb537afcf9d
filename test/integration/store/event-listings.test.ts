/**
 * Listings over the spread keys, on dynalite and DynamoDB Local: by group, user, command and across
 * the app, with --since/--until and limits, in exact time order against an oracle; pages beyond the
 * first; and events of the first key design, listed once backfilled or copied.
 */

import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { legacyItemOf } from '../../../bench/capacity-model.ts';
import { backfillKeys } from '../../../cli/backfill-keys.ts';
import { DynamoDbEventStore, itemOf } from '../../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import { timeKey, timeOf } from '../../../functions/store/event-keys.ts';
import type { EventFilter, StoredEvent } from '../../../functions/store/event-store.ts';
import { legacyIndexes } from '../../../functions/store/events-table.ts';
import { MAX_KEY_PART_LENGTH } from '../../../functions/store/key-part.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { LOCAL_TABLE_NAME, localClient } from '../../../local/embedded-store.ts';
import { LEGACY_LOCAL_TABLE_NAME, upgradeLegacyTable } from '../../../local/local-table-upgrade.ts';
import { type DynamoDbServer, describeEachKind, startDynamoDb } from '../../support/dynamodb-servers.ts';
import { testSeed } from '../../support/seed.ts';

const SERVER_TIMEOUT_MS = 120_000;
const SEED = testSeed('event listings');
const T0 = Date.UTC(2026, 0, 1);

let sequence = 0;
/** Each describe uses its own app id, so its events never show up in another's listings. */
function event(app: string, fields: Partial<StoredEvent> & Pick<StoredEvent, 'command'>): StoredEvent {
  sequence += 1;
  const payload = JSON.stringify({ CallbackCommand: fields.command, n: sequence });
  return {
    eventId: eventIdOf(app, fields.command, payload),
    kind: 'after',
    sdkAppId: app,
    receivedAt: T0,
    payload,
    valid: true,
    expiresAt: 1_900_000_000,
    ...fields,
  };
}

/** What a listing must return, computed in memory from the same events. */
function oracle(all: readonly StoredEvent[], filter: EventFilter): string[] {
  return all
    .filter((e) => filter.sdkAppIds.includes(e.sdkAppId))
    .filter((e) =>
      filter.groupId !== undefined
        ? e.groupId === filter.groupId && (filter.user === undefined || e.user === filter.user)
        : filter.user !== undefined
          ? e.groupId === undefined && e.user === filter.user
          : true,
    )
    .filter((e) => filter.command === undefined || e.command === filter.command)
    .filter((e) => (filter.since === undefined || timeOf(e) >= filter.since) && (filter.until === undefined || timeOf(e) < filter.until))
    .map((e) => timeKey(timeOf(e), e.eventId))
    .sort()
    .reverse()
    .slice(0, filter.limit)
    .map((key) => key.slice(key.indexOf('#') + 1));
}

const ids = (events: readonly StoredEvent[]) => events.map((e) => e.eventId);

/** Writes through the adapter's own item builder, 25 at a time: only for seeding many events fast. */
async function seed(server: DynamoDbServer, events: readonly StoredEvent[], item = itemOf) {
  for (let i = 0; i < events.length; i += 25) {
    await server.client.send(
      new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: events.slice(i, i + 25).map((e) => ({ PutRequest: { Item: item(e) } })) } }),
    );
  }
}

describeEachKind('on %s', (kind) => {
  let server: DynamoDbServer;
  beforeAll(async () => {
    server = await startDynamoDb(kind);
  }, SERVER_TIMEOUT_MS);
  afterAll(() => server?.close(), SERVER_TIMEOUT_MS);

  describe(`random events and filters against an oracle (seeded: TEST_SEED replays it)`, () => {
    const app = '1400000101';
    const commands = ['Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg', 'State.StateChange'];
    const groups = ['@g1', '@g2', undefined];
    const users = ['alice', 'bob', undefined];
    const all: StoredEvent[] = [];
    beforeAll(async () => {
      const [picks] = fc.sample(
        fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.integer({ min: 0, max: 3_600_000 }), fc.boolean()), { minLength: 150, maxLength: 150 }),
        { seed: SEED, numRuns: 1 },
      );
      for (const [c, g, u, offset, hasEventTime] of picks!) {
        // Equal times happen (EventTime in whole seconds): the event id orders them.
        const at = T0 + Math.floor(offset / 60_000) * 60_000;
        all.push(event(app, { command: commands[c]!, groupId: groups[g], user: users[u], ...(hasEventTime ? { eventTime: at } : { receivedAt: at }) }));
      }
      await seed(server, all);
    }, SERVER_TIMEOUT_MS);

    test("every listing is the oracle's, in exact time order", async () => {
      const store = new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME, { queryPageSize: 3 });
      const filters = fc.record({
        groupId: fc.option(fc.constantFrom('@g1', '@g2'), { nil: undefined }),
        user: fc.option(fc.constantFrom('alice', 'bob'), { nil: undefined }),
        command: fc.option(fc.constantFrom(...commands), { nil: undefined }),
        since: fc.option(fc.integer({ min: T0, max: T0 + 3_600_000 }), { nil: undefined }),
        length: fc.option(fc.integer({ min: 1, max: 3_600_000 }), { nil: undefined }),
        limit: fc.constantFrom(1, 7, 40, Number.POSITIVE_INFINITY),
      });
      await fc.assert(
        fc.asyncProperty(filters, async ({ length, ...picked }) => {
          const filter: EventFilter = { ...picked, sdkAppIds: [app], until: length === undefined ? undefined : (picked.since ?? T0) + length };
          expect(ids(await store.list(filter))).toEqual(oracle(all, filter));
        }),
        {
          seed: SEED,
          numRuns: kind === 'dynalite' ? 14 : 8,
          examples: [[{ groupId: undefined, user: undefined, command: undefined, since: undefined, length: undefined, limit: Number.POSITIVE_INFINITY }]],
        },
      );
    }, 240_000);
  });

  describe('a group beyond one page of every kind', () => {
    const app = '1400000102';
    const room = Array.from({ length: 1_500 }, (_, n) =>
      event(app, { command: 'Group.CallbackAfterSendMsg', groupId: '@room', user: `u${n % 50}`, eventTime: T0 + n * 10 }),
    );
    beforeAll(() => seed(server, room), SERVER_TIMEOUT_MS);

    test(
      'all 1,500, newest first, over Query pages of 3 and BatchGet pages of 100',
      async () => {
        const store = new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME, { queryPageSize: 3 });
        const pages: number[] = [];
        const listed: StoredEvent[] = [];
        for await (const page of store.pages({ sdkAppIds: [app], groupId: '@room', limit: Number.POSITIVE_INFINITY })) {
          pages.push(page.length);
          listed.push(...page);
        }
        expect(ids(listed)).toEqual(ids([...room].reverse()));
        expect(pages).toEqual(Array(15).fill(100));
      },
      SERVER_TIMEOUT_MS,
    );

    test(
      'a limit and a window across the spread keys',
      async () => {
        const store = new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME);
        expect(ids(await store.list({ sdkAppIds: [app], groupId: '@room', limit: 1_234 }))).toEqual(ids([...room].reverse().slice(0, 1_234)));
        const window = { since: T0 + 2_000, until: T0 + 3_000 };
        expect(ids(await store.list({ sdkAppIds: [app], groupId: '@room', limit: 1_000, ...window }))).toEqual(ids(room.slice(200, 300).reverse()));
        expect(ids(await store.list({ sdkAppIds: [app], command: 'Group.CallbackAfterSendMsg', limit: 5, ...window }))).toEqual(
          ids(room.slice(295, 300).reverse()),
        );
        expect(ids(await store.list({ sdkAppIds: [app], limit: 3, ...window }))).toEqual(ids(room.slice(297, 300).reverse()));
      },
      SERVER_TIMEOUT_MS,
    );
  });

  describe('ids too long for a key', () => {
    const app = '1400000104';
    // Two ids that differ only past the key part's length, and a user outside groups as long.
    const [long, longToo, longUser] = ['a', 'b', 'u'].map((last) => `${'x'.repeat(MAX_KEY_PART_LENGTH * 2)}${last}`) as [string, string, string];
    const events = [
      event(app, { command: 'Group.CallbackAfterSendMsg', groupId: long, user: 'alice', eventTime: T0 + 1 }),
      event(app, { command: 'Group.CallbackAfterSendMsg', groupId: longToo, user: 'alice', eventTime: T0 + 2 }),
      event(app, { command: 'C2C.CallbackAfterSendMsg', user: longUser, eventTime: T0 + 3 }),
    ];

    test(
      'are stored whole and listed by, each apart from the other',
      async () => {
        const table = new DynamoDbEventStore(server.client, LOCAL_TABLE_NAME);
        for (const e of events) expect(await table.put(e)).toBe('stored');
        const store = new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME);
        const [inLong, inLongToo, byLongUser] = await Promise.all([
          store.list({ sdkAppIds: [app], groupId: long, limit: 10 }),
          store.list({ sdkAppIds: [app], groupId: longToo, user: 'alice', limit: 10 }),
          store.list({ sdkAppIds: [app], user: longUser, limit: 10 }),
        ]);
        expect([ids(inLong), ids(inLongToo), ids(byLongUser)]).toEqual(events.map((e) => [e.eventId]));
        expect([inLong[0]?.groupId, byLongUser[0]?.user]).toEqual([long, longUser]);
        expect(await store.list({ sdkAppIds: [app], groupId: long.slice(0, MAX_KEY_PART_LENGTH), limit: 10 })).toEqual([]);
      },
      SERVER_TIMEOUT_MS,
    );
  });

  describe('events of the first key design', () => {
    const app = '1400000103';
    /** The copied data directory's events: an app of their own, or a listing of `app` by command would see them. */
    const copiedApp = '1400000104';
    const old = [1, 2, 3].map((day) => event(app, { command: 'Group.CallbackAfterCreateGroup', groupId: '@old', eventTime: Date.UTC(2025, 0, day) }));
    const store = () => new DynamoDbEventReader(server.client, LOCAL_TABLE_NAME);

    test(
      'are not in the new indexes until backfilled, then listed like new ones; a second backfill changes nothing',
      async () => {
        const { user: _none, ...legacyShape } = old[0]!;
        await seed(server, old, (e) => legacyItemOf(e));
        expect(await store().list({ sdkAppIds: [app], groupId: '@old', limit: 10 })).toEqual([]);
        const fresh = event(app, { command: 'Group.CallbackAfterCreateGroup', groupId: '@old', eventTime: Date.UTC(2025, 0, 4) });
        await new DynamoDbEventStore(server.client, LOCAL_TABLE_NAME).put(fresh);

        let last = { scanned: 0, updated: 0 };
        for await (const progress of backfillKeys(server.client, LOCAL_TABLE_NAME)) last = progress;
        expect(last.updated).toBeGreaterThanOrEqual(3);
        const listed = await store().list({ sdkAppIds: [app], groupId: '@old', limit: 10 });
        expect(ids(listed)).toEqual(ids([fresh, ...[...old].reverse()]));
        // Returned as stored: no key of either design.
        expect(listed.at(-1)).toEqual(legacyShape);
        expect(ids(await store().list({ sdkAppIds: [app], command: 'Group.CallbackAfterCreateGroup', limit: 10 }))).toEqual(ids(listed));

        for await (const progress of backfillKeys(server.client, LOCAL_TABLE_NAME)) last = progress;
        expect(last.updated).toBe(0);
      },
      SERVER_TIMEOUT_MS,
    );

    test(
      'a local data directory of the first design is copied into the current table, then its table dropped',
      async () => {
        const base = localClient(server.endpoint);
        try {
          const { byGroup, byCommand } = legacyIndexes;
          await base.send(
            new CreateTableCommand({
              TableName: LEGACY_LOCAL_TABLE_NAME,
              BillingMode: 'PAY_PER_REQUEST',
              AttributeDefinitions: ['eventId', 'groupKey', 'commandKey', 'timeKey'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
              KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }],
              GlobalSecondaryIndexes: [byGroup, byCommand].map((index) => ({
                IndexName: index.indexName,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              })),
            }),
          );
          const local = [1, 2].map((day) =>
            event(copiedApp, { command: 'Group.CallbackAfterCreateGroup', groupId: '@local-old', eventTime: Date.UTC(2024, 0, day) }),
          );
          for (const e of local) await server.client.send(new PutCommand({ TableName: LEGACY_LOCAL_TABLE_NAME, Item: legacyItemOf(e) }));

          expect(await upgradeLegacyTable(base, server.client, LOCAL_TABLE_NAME)).toBe(2);
          expect(ids(await store().list({ sdkAppIds: [copiedApp], groupId: '@local-old', limit: 10 }))).toEqual(ids([...local].reverse()));
          await expect(base.send(new DescribeTableCommand({ TableName: LEGACY_LOCAL_TABLE_NAME }))).rejects.toBeInstanceOf(ResourceNotFoundException);
          expect(await upgradeLegacyTable(base, server.client, LOCAL_TABLE_NAME)).toBe(0);
        } finally {
          base.destroy();
        }
      },
      SERVER_TIMEOUT_MS,
    );
  });
});
