/**
 * A hundred thousand events streamed through a listing's merge, over a stand-in DynamoDB that makes its pages
 * up as they are asked for: the listing holds pages, never the whole result, so memory stays flat.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect, test } from '@jest/globals';
import { layouts } from '../../../functions/store/events-table.ts';
import { DynamoDbEventReader } from '../../../functions/store/read/dynamodb-event-reader.ts';
import { compressBody } from '../../../functions/store/stored-payload.ts';

/** Enough that keeping them would show (~50 MB of events), few enough that decompressing each body stays quick. */
const EVENTS = 100_000;
/** A quiet group's keys (no marker: the BatchGetItem for it finds none). */
const SHARDS = layouts.g.narrow;
const perShard = Math.ceil(EVENTS / SHARDS);
const T0 = Date.UTC(2026, 0, 1);
const BODY = compressBody(JSON.stringify({ GroupId: 'room', text: 'x'.repeat(200) }));

/** Key s holds events s, s + shards, s + 2 × shards, …, newest (highest) first: whole event items, as a Query of the table returns them. */
function fakeClient(): DynamoDBDocumentClient {
  const idOf = (n: number) => n.toString(16).padStart(32, '0');
  const send = async (command: { constructor: { name: string }; input: Record<string, any> }) => {
    const { input } = command;
    if (command.constructor.name === 'QueryCommand') {
      const partition = String(input.ExpressionAttributeValues[':k']);
      const shard = Number(partition.split('#').at(-1));
      const from = (input.ExclusiveStartKey?.index as number | undefined) ?? perShard - 1;
      const items = [];
      let i = from;
      for (; i >= 0 && items.length < input.Limit; i -= 1) {
        const n = i * SHARDS + shard;
        if (n < EVENTS)
          items.push({ p: partition, s: `${String(T0 + n).padStart(13, '0')}#${idOf(n)}`, c: 'Group.CallbackAfterSendMsg', g: 'room', ra: T0, b: BODY, x: 1 });
      }
      return { Items: items, LastEvaluatedKey: i >= 0 ? { index: i } : undefined };
    }
    // The marker read: a quiet group has none.
    return { Responses: {} };
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

test('100,000 events stream newest first, in order, with memory flat', async () => {
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
    if (count % 10_000 === 0) heap.push(heapNow());
  }
  expect(count).toBe(EVENTS);
  expect(inOrder).toBe(true);
  // Kept, 100,000 events of ~300 bytes would take ~50 MB and grow with every sample (~5 MB between two): the
  // listing's own buffers (ENTRY_BUDGET) stay far below, the same at the end as at the start.
  expect(heap).toHaveLength(10);
  expect(Math.max(...heap) - before).toBeLessThan(32 * 1024 * 1024);
  expect(heap.at(-2)! - heap[0]!).toBeLessThan(8 * 1024 * 1024);
}, 600_000);
