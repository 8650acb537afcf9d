/**
 * A data directory of an earlier key design: `npm start` copies its events into the third design's
 * table, indexes them (app-wide, per command, per account) and drops the old table; a copy cut short
 * is done again at the next start without a second copy of anything. A command-line tool that opens
 * it first copies it the same way, with the settings' busy accounts: test/cli/open-store.test.ts.
 */
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { documentClient } from '../../functions/store/dynamodb-event-store.ts';
import type { EventFilter, StoredEvent } from '../../functions/store/event-store.ts';
import { migrateEvents } from '../../functions/store/migrate-events.ts';
import { DynamoDbEventReader } from '../../functions/store/read/dynamodb-event-reader.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, localClient, startEmbeddedStore } from '../../local/embedded-store.ts';
import { EARLIER_LOCAL_TABLE_NAMES, upgradeLegacyTable } from '../../local/local-table-upgrade.ts';
import { storedMessage } from '../support/generated-callbacks.ts';
import { secondDesignTable } from '../support/second-design-table.ts';

const APP = '1400000055';
const SECOND = EARLIER_LOCAL_TABLE_NAMES[0];

let store: EmbeddedStore;
/** The second test's store, and its case, begun beside the first test: each drop of the old table waits out dynalite's 500 ms DELETING. */
let cutShortStore: EmbeddedStore;
let cutShort: Promise<number>;
beforeAll(async () => {
  [store, cutShortStore] = await Promise.all([startEmbeddedStore({ port: 0 }), startEmbeddedStore({ port: 0 })]);
  cutShort = startCutShort(cutShortStore);
  // Awaited by its test; a failure meanwhile is not unhandled.
  cutShort.catch(() => undefined);
});
afterAll(async () => {
  await cutShort.catch(() => undefined);
  await Promise.all([store.close(), cutShortStore.close()]);
});

/** An event as the second design stored it: no accounts by role, which the copy reads again from the body. */
const earlier = (n: number, sdkAppId = APP): StoredEvent => storedMessage(sdkAppId, `friend-${n % 3}`, n);

const clientOf = (on: EmbeddedStore) => localClient(on.endpoint, { sign: on.checksSignatures });
const client = () => clientOf(store);

const listed = async (filter: Omit<EventFilter, 'sdkAppIds' | 'limit'>) =>
  (await new DynamoDbEventReader(store.client, LOCAL_TABLE_NAME).list({ sdkAppIds: [APP], limit: 1000, ...filter })).map((event) => event.eventId);
const newestFirst = (events: readonly StoredEvent[]) => events.map((event) => event.eventId).reverse();

test('the second design’s events are copied, indexed and listed in every way; the old table goes; a second run copies nothing', async () => {
  const events = Array.from({ length: 30 }, (_, n) => earlier(n));
  await secondDesignTable(store, SECOND, events);
  expect(await upgradeLegacyTable(client(), store.client, LOCAL_TABLE_NAME)).toBe(30);

  expect(await listed({})).toEqual(newestFirst(events));
  expect(await listed({ command: 'C2C.CallbackAfterSendMsg' })).toEqual(newestFirst(events));
  // The sender by the actor index, a receiver by the place: roles the second design did not keep.
  expect(await listed({ user: 'ann' })).toEqual(newestFirst(events));
  expect(await listed({ user: 'friend-1' })).toEqual(newestFirst(events.filter((_, n) => n % 3 === 1)));
  await expect(client().send(new DescribeTableCommand({ TableName: SECOND }))).rejects.toBeInstanceOf(ResourceNotFoundException);

  // Interrupted before the drop: the next start finds the old table again, and copies it again, harmlessly.
  await secondDesignTable(store, SECOND, events.slice(0, 10));
  expect(await upgradeLegacyTable(client(), store.client, LOCAL_TABLE_NAME)).toBe(0);
  expect(await listed({})).toEqual(newestFirst(events));
  expect(await upgradeLegacyTable(client(), store.client, LOCAL_TABLE_NAME)).toBe(0);
});

/** A start whose copy stopped after its first page of 10 (its next Scan failed), then the next start's upgrade: what it counted. */
async function startCutShort(on: EmbeddedStore): Promise<number> {
  const events = Array.from({ length: 30 }, (_, n) => earlier(n, '1400000056'));
  await secondDesignTable(on, SECOND, events);
  const cut = clientOf(on);
  let scans = 0;
  cut.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ScanCommand' && ++scans > 1) throw new Error('npm start stopped');
      return next(args);
    },
    { step: 'initialize', name: 'cutShort' },
  );
  await expect(
    migrateEvents(documentClient(cut), { from: SECOND, to: LOCAL_TABLE_NAME, sourceItems: 0, segments: 1, pageItems: 10, markCopies: false }),
  ).rejects.toThrow('npm start stopped');
  cut.destroy();
  return upgradeLegacyTable(clientOf(on), on.client, LOCAL_TABLE_NAME);
}

test('a start cut short: the next one counts only the events it stored itself', async () => {
  expect(await cutShort).toBe(20);
});
