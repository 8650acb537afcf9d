import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { eventOf, itemOf } from '../../../functions/store/dynamodb-event-store.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { eventsTable } from '../../../functions/store/events-table.ts';
import { MAX_KEY_PART_LENGTH } from '../../../functions/store/key-part.ts';
import { commandPart, subjectKey, timeKey, timeOf } from '../../../functions/store/legacy/legacy-keys.ts';
import { rangesOf } from '../../../functions/store/legacy/legacy-ranges.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { testSeed } from '../../support/seed.ts';

const SEED = testSeed('event keys');
const event: StoredEvent = {
  eventId: '0123456789abcdef0123456789abcdef',
  command: 'Group.CallbackAfterSendMsg',
  kind: 'after',
  sdkAppId: '1400000000',
  groupId: '@TGS#1',
  user: 'alice',
  eventTime: 1_764_600_000_000,
  receivedAt: 1_764_600_000_500,
  payload: '{}',
  valid: true,
  expiresAt: 1_772_376_000,
};

describe('timeOf, the time an event is ordered by', () => {
  test("Tencent's EventTime, else the arrival", () => {
    expect(timeOf(event)).toBe(1_764_600_000_000);
    expect(timeOf({ receivedAt: 5 })).toBe(5);
  });

  test.each([[1e20], [-1], [Number.NaN], [Date.UTC(10_000, 0, 1)]])(
    'a garbled EventTime %s falls back to the arrival, so the key still sorts (and toISOString never throws)',
    (eventTime) => {
      expect(timeOf({ eventTime, receivedAt: 7 })).toBe(7);
      expect(() => itemOf({ ...event, eventTime })).not.toThrow();
    },
  );

  test(`time keys sort as their times do (seeded: TEST_SEED replays it)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (a, b) => {
        // DynamoDB compares strings by their UTF-8 bytes: for these ASCII keys, as `<` does.
        const [x, y] = [timeKey(a, event.eventId), timeKey(b, event.eventId)];
        expect(x < y ? -1 : x > y ? 1 : 0).toBe(Math.sign(a - b));
      }),
      { seed: SEED },
    );
  });
});

describe('the keys of an item', () => {
  test('an event in a group is listed under the group; outside groups under its user', () => {
    expect(itemOf(event).subjectKey).toMatch(/^1400000000#g#@TGS#1#\d+$/);
    expect(itemOf({ ...event, groupId: undefined }).subjectKey).toMatch(/^1400000000#u#alice#\d+$/);
    expect(itemOf({ ...event, groupId: undefined, user: undefined })).not.toHaveProperty('subjectKey');
  });

  test('a group and a user of the same name never share a key; nor do ids that look like shards', () => {
    expect(subjectKey('1', { type: 'group', id: 'x' }, 1)).not.toBe(subjectKey('1', { type: 'user', id: 'x' }, 1));
    expect(subjectKey('1', { type: 'group', id: 'a#1' }, 2)).not.toBe(subjectKey('1', { type: 'group', id: 'a' }, 12));
  });

  test('an id too long for a key is there as its hash, marked so no id can imitate it; the item keeps it whole', () => {
    const long = 'g'.repeat(MAX_KEY_PART_LENGTH + 1);
    const item = itemOf({ ...event, groupId: long });
    expect(item.subjectKey).toMatch(/^1400000000#gh#[0-9a-f]{64}#\d+$/);
    expect(item.groupId).toBe(long);
    expect(itemOf({ ...event, groupId: undefined, user: long }).subjectKey).toMatch(/^1400000000#uh#[0-9a-f]{64}#\d+$/);
    // An id that is a hash already stays itself, in the unmarked key.
    const hash = String(item.subjectKey).split('#')[2]!;
    expect(subjectKey('1', { type: 'group', id: hash }, 0)).not.toBe(subjectKey('1', { type: 'group', id: long }, 0));
    expect(subjectKey('1', { type: 'group', id: 'g'.repeat(MAX_KEY_PART_LENGTH) }, 0)).toBe(`1#g#${'g'.repeat(MAX_KEY_PART_LENGTH)}#0`);
  });

  test('a command cannot reach into the next part of the sort key', () => {
    expect(commandPart('A#B~C%')).toBe('A%23B%7EC%25');
    expect(commandPart('x'.repeat(2_000))).toHaveLength(MAX_KEY_PART_LENGTH);
  });

  test('eventOf gives the event back without any key, of either design', () => {
    expect(eventOf({ ...itemOf(event), groupKey: 'old', commandKey: 'old' })).toEqual(event);
  });
});

describe('the ranges a listing reads', () => {
  const none = async () => [];
  test('a group: every one of its spread keys, filtered on what else was asked', async () => {
    const ranges = await rangesOf({ sdkAppIds: ['1'], groupId: 'g', user: 'u', command: 'C', limit: 1 }, none);
    expect(ranges).toHaveLength(eventsTable.indexes.bySubject.shards);
    expect(new Set(ranges.map((range) => range.partition)).size).toBe(ranges.length);
    expect(ranges[0]).toMatchObject({ indexName: 'bySubject', match: { command: 'C', user: 'u' }, prefix: '' });
  });

  test('a command: its range in every app key; two apps: both', async () => {
    expect(await rangesOf({ sdkAppIds: ['1', '2'], command: 'C', limit: 1 }, none)).toHaveLength(2 * eventsTable.indexes.byApp.shards);
  });

  test('the whole app: each command found in each key', async () => {
    const ranges = await rangesOf({ sdkAppIds: ['1'], limit: 1 }, async (partition) => (partition.endsWith('#0') ? ['A', 'B'] : ['A']));
    expect(ranges).toHaveLength(eventsTable.indexes.byApp.shards + 1);
  });

  test('an empty window reads nothing', async () => {
    expect(await rangesOf({ sdkAppIds: ['1'], groupId: 'g', since: 10, until: 10, limit: 1 }, none)).toEqual([]);
  });

  test('since is included, until is not', async () => {
    const [range] = await rangesOf({ sdkAppIds: ['1'], groupId: 'g', since: Date.UTC(2026, 0, 1), until: Date.UTC(2026, 0, 2), limit: 1 }, none);
    expect(range).toMatchObject({ lower: '2026-01-01T00:00:00.000Z', upper: '2026-01-01T23:59:59.999Z~' });
  });
});

test('a store lists nothing for a limit of 0 without reading', async () => {
  const store = new DynamoDbEventReader({ send: () => Promise.reject(new Error('no read expected')) } as never, 'T');
  expect(await store.list({ sdkAppIds: ['1'], limit: 0 })).toEqual([]);
});
