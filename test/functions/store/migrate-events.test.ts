import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { WHOLE_TRAFFIC_HEAT_THRESHOLD } from '../../../functions/store/actor-heat.ts';
import { documentClient } from '../../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import { eventOf, isEventItem } from '../../../functions/store/event-item.ts';
import { markerKey } from '../../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { attributes as at, SINGLE_SORT } from '../../../functions/store/events-table.ts';
import { migrateEvents } from '../../../functions/store/migrate-events.ts';
import { isDone, MigrationConflictError, readProgress } from '../../../functions/store/migration-progress.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, localClient, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { secondDesignTable } from '../../support/second-design-table.ts';

const T0 = 1_700_000_000_000;

/** A friendship as the second design stored it: untimed, both accounts named by pointers alone. */
function friendship(sdkAppId: string, from: string, to: string, receivedAt: number): StoredEvent {
  const command = 'Sns.CallbackFriendAdd';
  const payload = JSON.stringify({
    CallbackCommand: command,
    PairList: [{ From_Account: from, To_Account: to, Initiator_Account: from }],
    ClientCmd: 'friend_add',
  });
  return { eventId: eventIdOf(sdkAppId, command, payload), command, kind: 'after', sdkAppId, receivedAt, payload, valid: true, expiresAt: 4_000_000_000 };
}

let store: EmbeddedStore;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
});
afterAll(() => store?.close());

test('an account named in more events a moment than a whole-traffic writer allows is spread wide: its marker is written', async () => {
  const app = '1400000071';
  // One account befriended by many, a millisecond apart: past the threshold within the heat's window.
  const events = Array.from({ length: WHOLE_TRAFFIC_HEAT_THRESHOLD + 10 }, (_, n) => friendship(app, 'hot', `fan-${n}`, T0 + n));
  await secondDesignTable(store, 'heat-events-2', events);
  await migrateEvents(store.client, { from: 'heat-events-2', to: LOCAL_TABLE_NAME, sourceItems: events.length, segments: 1 });
  const marker = (account: string) =>
    store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { [at.partition]: markerKey(app, 'u', account), [at.sort]: SINGLE_SORT } }));
  expect((await marker('hot')).Item).toBeDefined();
  // An account named once stays narrow.
  expect((await marker('fan-0')).Item).toBeUndefined();
});

/** How many times each of `sdkAppId`'s events is in the new table. */
async function eventCounts(sdkAppId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (!isEventItem(item)) continue;
      const event = eventOf(item);
      if (event.sdkAppId === sdkAppId) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return counts;
}

test('two copies started at once: one stops with MigrationConflictError, or finds the other done; each old event is copied once', async () => {
  const app = '1400000072';
  const events = Array.from({ length: 60 }, (_, n) => friendship(app, `a-${n % 7}`, `b-${n}`, T0 + n * 60_000));
  await secondDesignTable(store, 'twice-events-2', events);
  // Pages of 10 over 4 segments: many saves, each a chance for the two copies to meet.
  const copy = () => migrateEvents(store.client, { from: 'twice-events-2', to: LOCAL_TABLE_NAME, sourceItems: events.length, pageItems: 10 });
  const outcomes = await Promise.allSettled([copy(), copy()]);

  // The progress is saved over the version read: two copies never both advance. Both succeed only if
  // one read the progress after the other had finished, and then it copied nothing.
  const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
  const finished = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (failed.length === 1) expect(failed[0]!.reason).toBeInstanceOf(MigrationConflictError);
  else expect(finished.map((progress) => progress.version)).toEqual([finished[0]!.version, finished[0]!.version]);
  expect(finished.length).toBeGreaterThan(0);
  expect(finished.every(isDone)).toBe(true);
  expect(isDone((await readProgress(store.client, LOCAL_TABLE_NAME, 'twice-events-2'))!)).toBe(true);

  const counts = await eventCounts(app);
  expect([...counts.keys()].sort()).toEqual(events.map((event) => event.eventId).sort());
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
});

test('a copy one of whose segments fails stops whole before it rejects: nothing of it runs on', async () => {
  const app = '1400000073';
  const events = Array.from({ length: 40 }, (_, n) => friendship(app, `a-${n % 5}`, `b-${n}`, T0 + n * 60_000));
  await secondDesignTable(store, 'stopped-events-2', events);
  // Segment 1's first Scan fails (as after the SDK's last retry); segment 0 is mid-page then.
  const base = localClient(store.endpoint, { sign: store.checksSignatures });
  let requests = 0;
  base.middlewareStack.add(
    (next, context) => async (args) => {
      requests += 1;
      if (context.commandName === 'ScanCommand' && (args.input as { Segment?: number }).Segment === 1) throw new Error('segment 1 lost');
      return next(args);
    },
    { step: 'initialize', name: 'loseSegmentOne' },
  );
  const copy = migrateEvents(documentClient(base), { from: 'stopped-events-2', to: LOCAL_TABLE_NAME, sourceItems: events.length, segments: 2, pageItems: 10 });
  await expect(copy).rejects.toThrow('segment 1 lost');
  const sent = requests;
  // A round trip of the store later, the copy has sent nothing more.
  await readProgress(store.client, LOCAL_TABLE_NAME, 'stopped-events-2');
  expect(requests).toBe(sent);
  base.destroy();
});
