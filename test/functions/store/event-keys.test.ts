/**
 * The third key design's keys and items (functions/store/event-keys.ts, event-item.ts): formulas byte
 * for byte, a key fixed by the body alone (exactly once), no subject id imitating another's key,
 * time keys sorting as times do, and an item giving its event back.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { eventOf, itemOf, keyOfItem } from '../../../functions/store/event-item.ts';
import {
  actorKey,
  actorKeys,
  eventIdOfKey,
  eventKeyOf,
  keyTimeOf,
  MAX_KEY_TIME,
  parseSubjectKey,
  placeKeys,
  shardOf,
  sortKeyOf,
  subjectShardKey,
  time13,
} from '../../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { layouts } from '../../../functions/store/events-table.ts';
import { MAX_KEY_PART_LENGTH } from '../../../functions/store/key-part.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { testSeed } from '../../support/seed.ts';

const SEED = testSeed('event keys');
const APP = '1400000000';
const event: StoredEvent = {
  eventId: '0123456789abcdef0123456789abcdef',
  command: 'Group.CallbackAfterSendMsg',
  kind: 'after',
  sdkAppId: APP,
  groupId: '@TGS#1',
  groupIds: ['@TGS#1'],
  user: 'alice',
  actor: 'alice',
  accounts: [{ role: 'sender', account: 'alice' }],
  busy: false,
  eventTime: 1_764_600_000_000,
  receivedAt: 1_764_600_000_500,
  payload: '{"GroupId":"@TGS#1","From_Account":"alice","EventTime":1764600000000}',
  valid: true,
  expiresAt: 1_772_376_000,
};

describe('the key time', () => {
  test("EventTime, else another time field's (a message's MsgTime), else none: untimed", () => {
    expect(keyTimeOf({ eventTime: 5, bodyTime: 7 })).toBe(5);
    expect(keyTimeOf({ bodyTime: 7 })).toBe(7);
    expect(keyTimeOf({})).toBeUndefined();
  });

  test.each([[1e20], [-1], [Number.NaN], [1.5], [MAX_KEY_TIME + 1]])('a garbled time %s is no key time: the event is keyed by its id', (eventTime) => {
    expect(keyTimeOf({ eventTime })).toBeUndefined();
    expect(eventKeyOf({ ...event, eventTime })).toEqual({ partitionKey: `${APP}#x#${event.eventId}`, sortKey: '#' });
  });

  test('time keys sort as their times do (seeded: TEST_SEED replays it)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_KEY_TIME }), fc.integer({ min: 0, max: MAX_KEY_TIME }), (a, b) => {
        // DynamoDB compares strings by their UTF-8 bytes: for these ASCII keys, as `<` does.
        const [x, y] = [sortKeyOf(a, event.eventId), sortKeyOf(b, event.eventId)];
        expect(x < y ? -1 : x > y ? 1 : 0).toBe(Math.sign(a - b));
      }),
      { seed: SEED },
    );
    expect(time13(0)).toBe('0000000000000');
  });
});

describe('the key an event is written at', () => {
  const shard = Number.parseInt(event.eventId.slice(0, 8), 16);
  test('a group event: its group, on one of 8 keys by the id; a live room: one of 128', () => {
    expect(eventKeyOf(event)).toEqual({ partitionKey: `${APP}#g#@TGS#1#${shard % 8}`, sortKey: `1764600000000#${event.eventId}` });
    expect(eventKeyOf({ ...event, busy: true }).partitionKey).toBe(`${APP}#g#@TGS#1#${shard % 128}`);
  });

  test('no group: the account it happened to, on 4 keys; a chatbot or a busy account on 64; neither: the app’s none-place', () => {
    const c2c = { ...event, groupId: undefined, placeAccount: 'bob' };
    expect(eventKeyOf(c2c).partitionKey).toBe(`${APP}#u#bob#${shard % 4}`);
    expect(eventKeyOf({ ...c2c, placeAccount: '@RBT#1' }).partitionKey).toBe(`${APP}#u#@RBT#1#${shard % 64}`);
    expect(eventKeyOf(c2c, { busyAccounts: new Set(['bob']) }).partitionKey).toBe(`${APP}#u#bob#${shard % 64}`);
    expect(eventKeyOf({ ...c2c, placeAccount: undefined }).partitionKey).toBe(`${APP}#n#-#${shard % 4}`);
  });

  test('a function of the body alone: a retry arriving later, or read by another writer, has the same key', () => {
    const later: StoredEvent = { ...event, receivedAt: event.receivedAt + 60_000 };
    expect(eventKeyOf(later)).toEqual(eventKeyOf(event));
    const untimed: StoredEvent = { ...event, eventTime: undefined };
    const untimedLater: StoredEvent = { ...untimed, receivedAt: 1 };
    expect(eventKeyOf(untimedLater)).toEqual(eventKeyOf(untimed));
  });

  test('the actor’s keys: narrow 0…3, wide 4…67, apart; a wide place’s keys include its narrow ones', () => {
    expect(actorKey(APP, 'alice', event.eventId, false)).toBe(`${APP}#a#alice#${shardOf(event.eventId, 1, 4)}`);
    expect(actorKey(APP, 'alice', event.eventId, true)).toBe(`${APP}#a#alice#${4 + shardOf(event.eventId, 1, 64)}`);
    expect(actorKeys(APP, 'alice', false)).toHaveLength(layouts.a.narrow);
    expect(actorKeys(APP, 'alice', true)).toHaveLength(layouts.a.narrow + layouts.a.wide);
    expect(placeKeys(APP, 'g', 'x', true).slice(0, layouts.g.narrow)).toEqual(placeKeys(APP, 'g', 'x', false));
  });

  test('no subject id imitates another subject’s key; keys parse back from both ends (seeded)', () => {
    const kinds = ['g', 'u', 'a'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.constantFrom(...kinds),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.nat(127),
        fc.nat(127),
        (kindA, idA, kindB, idB, shardA, shardB) => {
          const [a, b] = [subjectShardKey(APP, kindA, idA, shardA), subjectShardKey(APP, kindB, idB, shardB)];
          if (kindA !== kindB || idA !== idB || shardA !== shardB) expect(a).not.toBe(b);
          expect(parseSubjectKey(a)).toMatchObject({ sdkAppId: APP, kind: kindA, shard: shardA });
        },
      ),
      { seed: SEED },
    );
  });

  test('an id too long for a key is there as its hash, marked so no id can imitate it', () => {
    const long = 'g'.repeat(MAX_KEY_PART_LENGTH + 1);
    expect(eventKeyOf({ ...event, groupId: long }).partitionKey).toMatch(new RegExp(`^${APP}#gh#[0-9a-f]{64}#\\d+$`));
    expect(subjectShardKey(APP, 'g', 'g'.repeat(MAX_KEY_PART_LENGTH), 0)).toBe(`${APP}#g#${'g'.repeat(MAX_KEY_PART_LENGTH)}#0`);
  });
});

describe('the item', () => {
  test('short names, the body compressed, and what the keys say not written again', () => {
    const key = { ...eventKeyOf(event), actorKey: actorKey(APP, 'alice', event.eventId, false) };
    const item = itemOf(event, key);
    expect(Object.keys(item).sort()).toEqual(['a', 'b', 'c', 'g', 'p', 'ra', 's', 'x']);
    expect(item.b).toBeInstanceOf(Uint8Array);
    expect(keyOfItem(item)).toEqual(key);
    expect(eventIdOfKey(key)).toBe(event.eventId);
  });

  test('eventOf gives back the event as stored: body, time, user, receiver’s fields (timed and untimed)', () => {
    const key = { ...eventKeyOf(event), actorKey: actorKey(APP, 'alice', event.eventId, false) };
    expect(eventOf(itemOf(event, key))).toEqual({
      eventId: event.eventId,
      command: event.command,
      kind: 'after',
      sdkAppId: APP,
      groupId: '@TGS#1',
      groupIds: ['@TGS#1'],
      user: 'alice',
      eventTime: event.eventTime,
      receivedAt: event.receivedAt,
      payload: event.payload,
      valid: true,
      expiresAt: event.expiresAt,
    });
    const untimed = { ...event, eventTime: undefined, groupId: undefined, groupIds: [], user: 'carol', problems: 'EventTime: missing', valid: false };
    const back = eventOf(itemOf(untimed, eventKeyOf(untimed)));
    expect(back).toMatchObject({ eventId: event.eventId, user: 'carol', valid: false, problems: 'EventTime: missing', payload: event.payload });
    expect(back.eventTime).toBeUndefined();
  });

  test('a message timed by MsgTime says so (tf), and gives the time back as bodyTime', () => {
    const message = { ...event, eventTime: undefined, bodyTime: 1_557_481_127_000, timeField: 'MsgTime' };
    const item = itemOf(message, eventKeyOf(message));
    expect(item.tf).toBe('MsgTime');
    expect(eventOf(item)).toMatchObject({ bodyTime: 1_557_481_127_000, timeField: 'MsgTime' });
  });
});

test('a store lists nothing for a limit of 0 without reading', async () => {
  const store = new DynamoDbEventReader({ send: () => Promise.reject(new Error('no read expected')) } as never, 'T');
  expect(await store.list({ sdkAppIds: ['1'], limit: 0 })).toEqual([]);
});
