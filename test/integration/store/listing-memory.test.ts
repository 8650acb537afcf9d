/**
 * A million events streamed through a listing's merge, over a stand-in DynamoDB that makes its pages
 * up as they are asked for: the listing holds pages, never the whole result, so memory stays flat.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect, test } from '@jest/globals';
import { eventsTable } from '../../../functions/store/events-table.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';

const EVENTS = 1_000_000;
const { bySubject } = eventsTable.indexes;
const perShard = Math.ceil(EVENTS / bySubject.shards);
const T0 = Date.UTC(2026, 0, 1);

/** Shard s holds events s, s + shards, s + 2 × shards, …, newest (highest) first. */
function fakeClient(): DynamoDBDocumentClient {
  const idOf = (n: number) => n.toString(16).padStart(32, '0');
  const timeKeyOf = (n: number) => `${new Date(T0 + n).toISOString()}#${idOf(n)}`;
  const send = async (command: { constructor: { name: string }; input: Record<string, any> }) => {
    const { input } = command;
    if (command.constructor.name === 'QueryCommand') {
      const shard = Number(String(input.ExpressionAttributeValues[':pk']).split('#').at(-1));
      const from = (input.ExclusiveStartKey?.index as number | undefined) ?? perShard - 1;
      const items = [];
      let i = from;
      for (; i >= 0 && items.length < input.Limit; i -= 1) {
        const n = i * bySubject.shards + shard;
        if (n < EVENTS) items.push({ eventId: idOf(n), timeKey: timeKeyOf(n) });
      }
      return { Items: items, LastEvaluatedKey: i >= 0 ? { index: i } : undefined };
    }
    const keys = input.RequestItems.T.Keys as { eventId: string }[];
    return { Responses: { T: keys.map(({ eventId }) => ({ eventId, command: 'Group.CallbackAfterSendMsg', payload: 'x'.repeat(200) })) } };
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

/** A full collection before each sample: what is measured is what the listing holds, not garbage. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapNow = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

test('a million events stream newest first, in order, with memory flat', async () => {
  const before = heapNow();
  const store = new DynamoDbEventReader(fakeClient(), 'T');
  let count = 0;
  let last = 'z';
  let inOrder = true;
  const heap: number[] = [];
  for await (const page of store.pages({ sdkAppIds: ['1'], groupId: 'room', limit: Number.POSITIVE_INFINITY })) {
    for (const event of page) {
      if (event.eventId >= last) inOrder = false;
      last = event.eventId;
    }
    count += page.length;
    if (count % 100_000 === 0) heap.push(heapNow());
  }
  expect(count).toBe(EVENTS);
  expect(inOrder).toBe(true);
  // Kept, a million events of ~300 bytes would take ~300 MB and grow with every sample: the
  // listing's own buffers (ENTRY_BUDGET) stay far below, the same at the end as at the start.
  expect(heap).toHaveLength(10);
  expect(Math.max(...heap) - before).toBeLessThan(64 * 1024 * 1024);
  expect(heap.at(-2)! - heap[0]!).toBeLessThan(8 * 1024 * 1024);
}, 120_000);
