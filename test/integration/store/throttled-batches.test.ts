/**
 * What DynamoDB leaves unprocessed when a table is throttled is sent again until nothing is left
 * (functions/shared/until-processed.ts), read off the wire as DynamoDB writes it: a proxy in front of
 * the embedded store answers the last item of every batch call as unprocessed (test/support/throttling-proxy.ts).
 * Giving up after the tries is the unit test's (test/functions/shared/until-processed.test.ts).
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDbDerivedItemWriter } from '../../../functions/store/derived-item-writer.ts';
import { documentClient } from '../../../functions/store/dynamodb-event-store.ts';
import { attributes as at } from '../../../functions/store/events-table.ts';
import { itemKeyText, itemsByKey } from '../../../functions/store/read/items-by-key.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, localClient, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { throttlingProxy } from '../../support/throttling-proxy.ts';

let store: EmbeddedStore;
let proxy: Awaited<ReturnType<typeof throttlingProxy>>;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  proxy = await throttlingProxy(store.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await store?.close();
});

const throttledClient = () => documentClient(localClient(proxy.endpoint, { sign: false }));

/** 60 items of a partition of each test's own: three BatchWriteItem calls of 25 at most, each answered in part. */
const itemsOf = (partition: string) =>
  Array.from({ length: 60 }, (_, n) => ({ [at.partition]: partition, [at.sort]: `item-${String(n).padStart(2, '0')}`, n }));

describe('a throttled table', () => {
  test("the indexer's writer writes every derived item, sending again what was left unprocessed", async () => {
    const items = itemsOf('throttled-writes');
    const before = proxy.leftUnprocessed();
    await new DynamoDbDerivedItemWriter(throttledClient(), LOCAL_TABLE_NAME).write({
      markers: [],
      pointers: items.slice(0, 40),
      digests: items.slice(40),
      unreadable: 0,
    });
    const { Items = [] } = await store.client.send(
      new ScanCommand({
        TableName: LOCAL_TABLE_NAME,
        FilterExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': at.partition },
        ExpressionAttributeValues: { ':p': 'throttled-writes' },
      }),
    );
    expect(Items.map((item) => item.n).sort((a, b) => a - b)).toEqual(items.map((item) => item.n));
    expect(proxy.leftUnprocessed() - before).toBe(3);
  });

  test('a read by keys finds every item, asking again for the keys left unprocessed', async () => {
    const items = itemsOf('throttled-reads');
    for (const item of items) await store.client.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: item }));
    const before = proxy.leftUnprocessed();
    // One BatchGetItem call (itemsByKey takes BATCH_GET_KEYS at most): its last key comes back unprocessed, and is asked for again.
    const keys = items.slice(0, 30).map((item) => ({ partitionKey: item[at.partition] as string, sortKey: item[at.sort] as string }));
    const found = await itemsByKey(throttledClient(), LOCAL_TABLE_NAME, keys);
    expect([...found.keys()].sort()).toEqual(keys.map(itemKeyText).sort());
    expect(proxy.leftUnprocessed() - before).toBe(1);
  });
});
