/**
 * The copy of a table of the second key design (functions/store/migrate-events.ts) on the embedded
 * store: it indexes as a writer that sees all of the traffic (actor-heat.ts).
 */
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { legacyItemOf } from '../../../bench/capacity-model.ts';
import { WHOLE_TRAFFIC_HEAT_THRESHOLD } from '../../../functions/store/actor-heat.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import { markerKey } from '../../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { attributes as at, SINGLE_SORT } from '../../../functions/store/events-table.ts';
import { eventsTable as secondDesign } from '../../../functions/store/legacy/legacy-table.ts';
import { migrateEvents } from '../../../functions/store/migrate-events.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, localClient, startEmbeddedStore } from '../../../local/embedded-store.ts';

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

/** A table of the second key design holding `events`. */
async function oldTable(name: string, events: readonly StoredEvent[]): Promise<void> {
  const client = localClient(store.endpoint, { sign: store.checksSignatures });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: secondDesign.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: secondDesign.partitionKey, KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: name });
  client.destroy();
  for (let i = 0; i < events.length; i += 25) {
    const chunk = events.slice(i, i + 25).map((event) => ({ PutRequest: { Item: legacyItemOf(event) } }));
    await store.client.send(new BatchWriteCommand({ RequestItems: { [name]: chunk } }));
  }
}

test('an account named in more events a moment than a whole-traffic writer allows is spread wide: its marker is written', async () => {
  const app = '1400000071';
  // One account befriended by many, a millisecond apart: past the threshold within the heat's window.
  const events = Array.from({ length: WHOLE_TRAFFIC_HEAT_THRESHOLD + 10 }, (_, n) => friendship(app, 'hot', `fan-${n}`, T0 + n));
  await oldTable('heat-events-2', events);
  await migrateEvents(store.client, { from: 'heat-events-2', to: LOCAL_TABLE_NAME, sourceItems: events.length, segments: 1 });
  const marker = (account: string) =>
    store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { [at.partition]: markerKey(app, 'u', account), [at.sort]: SINGLE_SORT } }));
  expect((await marker('hot')).Item).toBeDefined();
  // An account named once stays narrow.
  expect((await marker('fan-0')).Item).toBeUndefined();
});
