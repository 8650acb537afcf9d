import { describe, expect, test } from '@jest/globals';
import { documentClient } from '../../../../functions/store/dynamodb-event-store.ts';
import type { StoredEvent } from '../../../../functions/store/event-store.ts';
import { listingOrder, MigratingEventReader, matchesListing, mergeNewestFirst, wholeTable } from '../../../../functions/store/read/migrating-event-reader.ts';
import { localClient } from '../../../../local/embedded-store.ts';

const APP = '1400000001';
/** An event at a time (its EventTime), or untimed (listed by its first arrival). */
const event = (id: string, time: number, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  eventId: id,
  command: 'Group.CallbackAfterSendMsg',
  kind: 'after',
  sdkAppId: APP,
  receivedAt: time,
  payload: '{}',
  valid: true,
  expiresAt: 0,
  eventTime: time,
  ...extra,
});

async function* pagesOf(...pages: StoredEvent[][]) {
  for (const page of pages) yield page;
}

const merged = async (listed: StoredEvent[][], pending: StoredEvent[], limit: number) => {
  const out: string[][] = [];
  for await (const page of mergeNewestFirst(pagesOf(...listed), pending, limit)) out.push(page.map((e) => e.eventId));
  return out;
};

describe('mergeNewestFirst', () => {
  test('interleaves the old events not copied yet with the listing, newest first, page by page', async () => {
    expect(await merged([[event('a', 9), event('c', 5)], [event('e', 1)]], [event('b', 7), event('d', 3), event('f', 0)], Number.POSITIVE_INFINITY)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
      ['f'],
    ]);
  });

  test('an event in both (put by the copy, its page not yet saved) is listed once', async () => {
    expect(await merged([[event('a', 9), event('b', 7)]], [event('b', 7), event('c', 3)], Number.POSITIVE_INFINITY)).toEqual([['a', 'b'], ['c']]);
  });

  test('stops at the limit, whichever side the events come from', async () => {
    expect(await merged([[event('a', 9), event('c', 5)], [event('e', 1)]], [event('b', 7), event('d', 3)], 3)).toEqual([['a', 'b', 'c']]);
    expect(await merged([[]], [event('b', 7), event('d', 3)], 1)).toEqual([['b']]);
    expect(await merged([[event('a', 9)]], [], 5)).toEqual([['a']]);
  });

  test('orders as the listing does: by key time, an untimed event by its first arrival, then by id', () => {
    const untimed = event('u', 0, { eventTime: undefined, receivedAt: 5 });
    const byMsgTime = event('m', 0, { eventTime: undefined, bodyTime: 6, receivedAt: 1 });
    expect([event('a', 5), untimed, byMsgTime].map(listingOrder).sort().reverse()).toEqual([
      listingOrder(byMsgTime),
      listingOrder(untimed),
      listingOrder(event('a', 5)),
    ]);
  });
});

describe('matchesListing', () => {
  const message = event('x', 100, {
    groupId: '@g',
    groupIds: ['@g', '@h'],
    actor: 'ann',
    placeAccount: undefined,
    accounts: [{ account: 'bob', role: 'member' }],
  });
  const base = { sdkAppIds: [APP] };
  test('a group it names, an account in any role, its command, its app, the time of its order', () => {
    expect(matchesListing(message, { ...base, groupId: '@h' })).toBe(true);
    expect(matchesListing(message, { ...base, groupId: '@other' })).toBe(false);
    expect(matchesListing(message, { ...base, user: 'ann' })).toBe(true);
    expect(matchesListing(message, { ...base, user: 'bob' })).toBe(true);
    expect(matchesListing(message, { ...base, user: 'carl' })).toBe(false);
    expect(matchesListing(message, { ...base, command: 'C2C.CallbackAfterSendMsg' })).toBe(false);
    expect(matchesListing(message, { sdkAppIds: ['1400000002'] })).toBe(false);
    expect(matchesListing(message, { ...base, since: 100, until: 101 })).toBe(true);
    expect(matchesListing(message, { ...base, until: 100 })).toBe(false);
    expect(matchesListing(message, { ...base, since: 101 })).toBe(false);
  });
});

describe('MigratingEventReader', () => {
  test('an empty window lists nothing and reads nothing: no Scan of the old table', async () => {
    // Nothing listens on the discard port: a read would fail (ECONNREFUSED), not return.
    const client = documentClient(localClient('http://127.0.0.1:9'));
    const reader = new MigratingEventReader(client, 'events-3', [wholeTable('events-2')]);
    try {
      expect(await reader.list({ sdkAppIds: [APP], since: 2_000, until: 2_000, limit: 10 })).toEqual([]);
      expect(await reader.list({ sdkAppIds: [APP], since: 2_000, until: 1_000, limit: 10 })).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
