import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { indexRecords } from '../../../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../../../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore, documentClient } from '../../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import { streamRecordOf } from '../../../functions/store/event-image.ts';
import { eventOf, itemOf } from '../../../functions/store/event-item.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { EventFilter, EventKey, StoredEvent } from '../../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { LOCAL_TABLE_NAME } from '../../../local/embedded-store.ts';
import { type DynamoDbServer, describeEachKind, startDynamoDb } from '../../support/dynamodb-servers.ts';

const APP = '1400000000';
const OTHER_APP = '1400000001';
const CREATE_GROUP = 'Group.CallbackAfterCreateGroup';
const CREATE_TOPIC = 'Group.CallbackAfterCreateTopic';
const TOPIC_CHANGED = 'Group.CallbackAfterTopicInfoChanged';

/** DynamoDB Local is a JVM: its start (and restart) takes seconds, more on a busy machine. */
const SERVER_TIMEOUT_MS = 120_000;

/**
 * An after-event as the callback chain stores it. Each test uses its own group ids (the table is
 * shared by the tests on one server), so one test's events never show up in another's listing.
 */
let sequence = 0;
function storedEvent(fields: Partial<StoredEvent> & Pick<StoredEvent, 'command'>): StoredEvent {
  sequence += 1;
  const sdkAppId = fields.sdkAppId ?? APP;
  const payload = fields.payload ?? JSON.stringify({ CallbackCommand: fields.command, GroupId: fields.groupId, n: sequence });
  return {
    eventId: eventIdOf(sdkAppId, fields.command, payload),
    kind: 'after',
    sdkAppId,
    receivedAt: 1_700_000_000_000,
    payload,
    valid: true,
    expiresAt: 1_707_776_000,
    ...fields,
  };
}

const ids = (listed: StoredEvent[]) => listed.map((event) => event.eventId);

/** Every store test runs on both DynamoDB implementations: dynalite here, AWS's DynamoDB Local in the compatibility tier. */
describeEachKind('on %s', (kind) => {
  // The data lives on disk, so that the last test can restart the server on it.
  let dataDir: string;
  let store: DynamoDbServer;
  let events: DynamoDbEventStore;
  let reader: DynamoDbEventReader;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `event-store-${kind}-`));
    store = await startDynamoDb(kind, { dataDir });
    events = new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME);
    reader = new DynamoDbEventReader(store.client, LOCAL_TABLE_NAME);
  }, SERVER_TIMEOUT_MS);
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, SERVER_TIMEOUT_MS);

  let position = 0;
  /** Puts each event, then indexes it as the fan-out's indexer stage does from the stream (the app-wide and per-command listings read its digests). */
  const putAll = async (all: StoredEvent[]) => {
    const index = indexRecords({ writer: new DynamoDbDerivedItemWriter(store.client, LOCAL_TABLE_NAME) });
    for (const event of all) {
      const result = await events.put(event);
      expect(result.outcome).toBe('stored');
      await index([streamRecordOf(event, result.key, { source: `test-${kind}`, sequenceNumber: String(++position) })]);
    }
  };

  /** The item at an event's key. */
  const itemAt = async (key: EventKey) =>
    (await store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { p: key.partitionKey, s: key.sortKey } }))).Item;
  /** An event as a listing returns it: what its item keeps (accounts by role are the definition's reading of the body, not stored). */
  const asListed = (event: StoredEvent) => eventOf(itemOf(event, eventKeyOf(event)));

  const list = (filter: Partial<EventFilter>) => reader.list({ sdkAppIds: [APP], limit: 100, ...filter });

  describe('put, exactly once', () => {
    test('stores a new event once and says duplicate for the same delivery again, leaving the first unchanged', async () => {
      const first = storedEvent({ command: CREATE_GROUP, groupId: '@put-1', eventTime: 1670574414123, clientIp: '10.0.0.1' });
      const stored = await events.put(first);
      expect(stored).toEqual({ outcome: 'stored', key: eventKeyOf(first) });

      const resent = { ...first, receivedAt: first.receivedAt + 5_000, clientIp: '10.0.0.2', valid: false, problems: 'late' };
      expect(await events.put(resent)).toEqual({ outcome: 'duplicate', key: eventKeyOf(first) });
      expect(eventOf((await itemAt(stored.key))!)).toEqual(asListed(first));
    });

    test('an event without a time in its body is keyed by its id: a retry arriving later is a duplicate, ordered by the first arrival', async () => {
      const untimed = storedEvent({ command: CREATE_TOPIC, groupId: '@put-untimed', topicId: '@t' });
      const { key } = await events.put(untimed);
      expect(key).toEqual({ partitionKey: `${APP}#x#${untimed.eventId}`, sortKey: '#' });
      expect((await events.put({ ...untimed, receivedAt: untimed.receivedAt + 60_000 })).outcome).toBe('duplicate');
      expect((await itemAt(key))!.ra).toBe(untimed.receivedAt);
    });

    test('a put with the key an earlier attempt computed (the fallback carries it) writes exactly there', async () => {
      const event = storedEvent({ command: CREATE_GROUP, groupId: '@put-carried', eventTime: 1670574414123 });
      const carried = { partitionKey: `${APP}#g#@put-carried#7`, sortKey: `1670574414123#${event.eventId}` };
      expect((await events.put(event, { key: carried })).key).toMatchObject(carried);
      expect(await itemAt(carried)).toBeDefined();
      expect((await events.put(event, { key: carried })).outcome).toBe('duplicate');
    });

    test('20 concurrent puts of one event: exactly one stored, 19 duplicates', async () => {
      const event = storedEvent({ command: CREATE_GROUP, groupId: '@put-race', eventTime: 1670574414123 });
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => events.put(event)));
      expect(outcomes.filter(({ outcome }) => outcome === 'stored')).toHaveLength(1);
      expect(outcomes.filter(({ outcome }) => outcome === 'duplicate')).toHaveLength(19);
      expect(await list({ groupId: '@put-race' })).toHaveLength(1);
    });

    test('a live room’s event goes to its wide keys, its marker written first, so its listing reads them', async () => {
      const event = storedEvent({ command: CREATE_GROUP, groupId: '@put-live', busy: true, eventTime: 1670574414123 });
      await putAll([event]);
      expect(await itemAt({ partitionKey: `${APP}#m#g#@put-live`, sortKey: '#' })).toBeDefined();
      expect(ids(await list({ groupId: '@put-live' }))).toEqual([event.eventId]);
    });
  });

  describe('list by group', () => {
    const group = '@list-group';
    const older = storedEvent({ command: CREATE_GROUP, groupId: group, eventTime: Date.UTC(2024, 0, 1), receivedAt: Date.UTC(2024, 5, 1) });
    // No EventTime (the topic callbacks send none): sorted by when it arrived.
    const middle = storedEvent({ command: CREATE_TOPIC, groupId: group, topicId: '@topic-1', receivedAt: Date.UTC(2024, 2, 1) });
    const newer = storedEvent({ command: TOPIC_CHANGED, groupId: group, eventTime: Date.UTC(2024, 3, 1), receivedAt: Date.UTC(2024, 0, 1) });
    const otherGroup = storedEvent({ command: CREATE_GROUP, groupId: '@list-group-other', eventTime: Date.UTC(2024, 4, 1) });

    beforeAll(() => putAll([middle, otherGroup, older, newer]));

    test('lists only the group, newest first by EventTime, else by arrival', async () => {
      expect(ids(await list({ groupId: group }))).toEqual([newer.eventId, middle.eventId, older.eventId]);
    });

    test('returns the events as stored, without the index attributes', async () => {
      const listed = await list({ groupId: group });
      expect(listed).toEqual([newer, middle, older].map(asListed));
      for (const event of listed) {
        expect(event).not.toHaveProperty('groupKey');
        expect(event).not.toHaveProperty('commandKey');
        expect(event).not.toHaveProperty('timeKey');
      }
    });

    test('honours the limit, keeping the newest', async () => {
      expect(ids(await list({ groupId: group, limit: 2 }))).toEqual([newer.eventId, middle.eventId]);
      expect(ids(await list({ groupId: group, limit: 1 }))).toEqual([newer.eventId]);
    });

    test('and by command: only that command in that group', async () => {
      expect(ids(await list({ groupId: group, command: CREATE_TOPIC }))).toEqual([middle.eventId]);
      expect(ids(await list({ groupId: group, command: 'Group.CallbackAfterGroupDestroyed' }))).toEqual([]);
    });

    test('an unknown group lists nothing', async () => {
      expect(await list({ groupId: '@no-such-group' })).toEqual([]);
    });
  });

  describe('list by group and command with a limit', () => {
    const group = '@filter-paging';
    // Seven newer events of another command sit on top of the two wanted ones in the group's index.
    const wanted = [1, 2].map((day) => storedEvent({ command: CREATE_TOPIC, groupId: group, eventTime: Date.UTC(2023, 0, day) }));
    const noise = [1, 2, 3, 4, 5, 6, 7].map((day) => storedEvent({ command: TOPIC_CHANGED, groupId: group, eventTime: Date.UTC(2023, 1, day) }));

    beforeAll(() => putAll([...wanted, ...noise]));

    test('finds the wanted events below more than a limit of others', async () => {
      expect(ids(await list({ groupId: group, command: CREATE_TOPIC, limit: 2 }))).toEqual([wanted[1]!.eventId, wanted[0]!.eventId]);
      expect(ids(await list({ groupId: group, command: CREATE_TOPIC, limit: 1 }))).toEqual([wanted[1]!.eventId]);
    });
  });

  describe('list by command', () => {
    const command = 'Group.CallbackAfterListByCommand';
    const withGroup = storedEvent({ command, kind: 'unregistered', groupId: '@by-command', eventTime: Date.UTC(2025, 0, 2) });
    const withoutGroup = storedEvent({ command, kind: 'unregistered', receivedAt: Date.UTC(2025, 0, 3) });
    const oldest = storedEvent({ command, kind: 'unregistered', groupId: '@by-command-2', eventTime: Date.UTC(2025, 0, 1) });
    const otherCommand = storedEvent({ command: CREATE_GROUP, groupId: '@by-command', eventTime: Date.UTC(2025, 0, 4) });

    beforeAll(() => putAll([oldest, otherCommand, withGroup, withoutGroup]));

    test('lists only the command, newest first, events without a group included', async () => {
      expect(ids(await list({ command }))).toEqual([withoutGroup.eventId, withGroup.eventId, oldest.eventId]);
    });

    test('an event without a group is absent from group listings', async () => {
      expect(ids(await list({ groupId: '@by-command' }))).toEqual([otherCommand.eventId, withGroup.eventId]);
    });

    test('honours the limit', async () => {
      expect(ids(await list({ command, limit: 2 }))).toEqual([withoutGroup.eventId, withGroup.eventId]);
    });
  });

  describe('list across apps', () => {
    const group = '@two-apps';
    const command = 'Group.CallbackAfterTwoApps';
    const first = storedEvent({ command, kind: 'unregistered', groupId: group, sdkAppId: APP, eventTime: Date.UTC(2022, 0, 1) });
    const second = storedEvent({ command, kind: 'unregistered', groupId: group, sdkAppId: OTHER_APP, eventTime: Date.UTC(2022, 0, 3) });
    const third = storedEvent({ command, kind: 'unregistered', groupId: group, sdkAppId: APP, eventTime: Date.UTC(2022, 0, 2) });

    beforeAll(() => putAll([first, second, third]));

    test('the same group id in two apps are two groups', async () => {
      expect(ids(await list({ groupId: group, sdkAppIds: [APP] }))).toEqual([third.eventId, first.eventId]);
      expect(ids(await list({ groupId: group, sdkAppIds: [OTHER_APP] }))).toEqual([second.eventId]);
    });

    test('with both apps, merges them newest first', async () => {
      expect(ids(await list({ groupId: group, sdkAppIds: [APP, OTHER_APP] }))).toEqual([second.eventId, third.eventId, first.eventId]);
      expect(ids(await list({ command, sdkAppIds: [OTHER_APP, APP] }))).toEqual([second.eventId, third.eventId, first.eventId]);
    });

    test('the limit applies to the merged list', async () => {
      expect(ids(await list({ command, sdkAppIds: [APP, OTHER_APP], limit: 2 }))).toEqual([second.eventId, third.eventId]);
    });

    test('an app not listed is not read', async () => {
      expect(ids(await list({ command, sdkAppIds: [APP] }))).toEqual([third.eventId, first.eventId]);
      expect(await list({ command, sdkAppIds: ['1400000099'] })).toEqual([]);
    });
  });

  describe('list with neither group nor command: the newest across the app, without a Scan', () => {
    const newest = storedEvent({ command: CREATE_GROUP, groupId: '@scan', eventTime: Date.UTC(2099, 0, 2) });
    const next = storedEvent({ command: 'State.StateChange', kind: 'unregistered', receivedAt: Date.UTC(2099, 0, 1) });

    beforeAll(() => putAll([next, newest]));

    test('lists the whole table newest first, without the index attributes', async () => {
      const listed = await list({ limit: 1000 });
      expect(listed.slice(0, 2)).toEqual([newest, next].map(asListed));
      const keys = listed.map((event) => event.eventTime ?? event.receivedAt);
      expect(keys).toEqual([...keys].sort((a, b) => b - a));
      for (const event of listed) expect(Object.keys(event).filter((key) => key.endsWith('Key'))).toEqual([]);
    });

    test('honours the limit', async () => {
      expect(ids(await list({ limit: 1 }))).toEqual([newest.eventId]);
    });

    // The CLI's `--app X` promises "only this SDKAppID": the app is part of every key.
    test('honours sdkAppIds like the index queries do', async () => {
      const foreign = storedEvent({ command: CREATE_GROUP, groupId: '@scan-foreign', sdkAppId: '1400000077', eventTime: Date.UTC(2099, 0, 3) });
      await putAll([foreign]);
      const listed = await list({ sdkAppIds: [APP], limit: 1000 });
      expect(listed.map((event) => event.sdkAppId).filter((sdkAppId) => sdkAppId !== APP)).toEqual([]);
    });
  });

  // Last: it restarts the server the other tests share.
  describe('restart on the same data', () => {
    const group = '@restart';
    const before = [1, 2, 3].map((day) => storedEvent({ command: CREATE_GROUP, groupId: group, eventTime: Date.UTC(2021, 0, day) }));

    test(
      'events stored before a stop are there after the start, and a re-put says duplicate',
      async () => {
        await putAll(before);
        await store.stop();
        // Down, a put fails. Asked once: the SDK's default would back off between three attempts first.
        const once = new DynamoDBClient({
          endpoint: store.endpoint,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 1,
        });
        try {
          const down = new DynamoDbEventStore(documentClient(once), LOCAL_TABLE_NAME);
          await expect(down.put(storedEvent({ command: CREATE_GROUP, groupId: group }))).rejects.toThrow(/ECONNREFUSED/);
        } finally {
          once.destroy();
        }
        await store.start();

        expect(ids(await list({ groupId: group }))).toEqual(before.map((event) => event.eventId).reverse());
        for (const event of before) expect((await events.put(event)).outcome).toBe('duplicate');
        expect(eventOf((await itemAt(eventKeyOf(before[0]!)))!)).toEqual(asListed(before[0]!));
      },
      SERVER_TIMEOUT_MS,
    );
  });
});
