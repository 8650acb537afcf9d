/**
 * A listing streamed over a stand-in DynamoDB that makes its pages up as they are asked for, with the
 * heap sampled ten times on the way: the listing holds pages, never the whole result, so memory stays
 * flat. `npm run bench -- --only listing` runs it at full size (a million events);
 * test/integration/store/listing-memory.test.ts runs it smaller, with bodies large enough that a
 * listing keeping its events would still break the same bounds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventsTable } from '../functions/store/events-table.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';

/** The full size: a million events of ~300 bytes, kept, would take ~300 MB. */
export const FULL_SOAK = { events: 1_000_000, payloadBytes: 200 } as const;

/** The bounds the heap stays in: far below what the events would take, and the same at the end as at the start. */
export const SOAK_HEAP_BOUNDS = { aboveStart: 64 * 1024 * 1024, growth: 8 * 1024 * 1024 } as const;

const T0 = Date.UTC(2026, 0, 1);

/**
 * A body of its own, as a read from DynamoDB gives: V8 builds `'x'.repeat(n)` from halves it shares,
 * so kept bodies would take far less than their length, and a leak would hide under the bounds.
 */
const flatBody = (bytes: number) => Buffer.alloc(bytes, 'x').toString('latin1');

/** What the stand-in reads of a QueryCommand's or a BatchGetCommand's input (its pages' keys are its own). */
interface StandInInput {
  readonly ExpressionAttributeValues?: Record<string, unknown>;
  readonly ExclusiveStartKey?: { index: number };
  readonly Limit?: number;
  readonly RequestItems?: Record<string, { Keys: { eventId: string }[] }>;
}

/** Shard s holds events s, s + shards, s + 2 × shards, …, newest (highest) first. */
function fakeClient(events: number, payloadBytes: number): DynamoDBDocumentClient {
  const { shards } = eventsTable.indexes.bySubject;
  const perShard = Math.ceil(events / shards);
  const idOf = (n: number) => n.toString(16).padStart(32, '0');
  const timeKeyOf = (n: number) => `${new Date(T0 + n).toISOString()}#${idOf(n)}`;
  const send = async (command: { constructor: { name: string }; input: StandInInput }) => {
    const { input } = command;
    if (command.constructor.name === 'QueryCommand') {
      const shard = Number(String(input.ExpressionAttributeValues?.[':pk']).split('#').at(-1));
      const from = input.ExclusiveStartKey?.index ?? perShard - 1;
      const items = [];
      let i = from;
      for (; i >= 0 && items.length < input.Limit!; i -= 1) {
        const n = i * shards + shard;
        if (n < events) items.push({ eventId: idOf(n), timeKey: timeKeyOf(n) });
      }
      return { Items: items, LastEvaluatedKey: i >= 0 ? { index: i } : undefined };
    }
    const keys = input.RequestItems!.T!.Keys;
    return { Responses: { T: keys.map(({ eventId }) => ({ eventId, command: 'Group.CallbackAfterSendMsg', payload: flatBody(payloadBytes) })) } };
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

export interface SoakResult {
  /** Events listed. */
  readonly count: number;
  /** Whether each event came after a newer one. */
  readonly inOrder: boolean;
  /** The heap before the listing started, in bytes. */
  readonly before: number;
  /** The heap after each tenth of the events, in bytes. */
  readonly heap: readonly number[];
}

/** A full collection before each sample: what is measured is what the listing holds, not garbage. */
function heapSampler(): () => number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
}

export async function listingSoak({ events, payloadBytes }: { events: number; payloadBytes: number }): Promise<SoakResult> {
  const heapNow = heapSampler();
  const before = heapNow();
  const store = new DynamoDbEventReader(fakeClient(events, payloadBytes), 'T');
  const sampleEvery = events / 10;
  let count = 0;
  let last = 'z';
  let inOrder = true;
  const heap: number[] = [];
  for await (const page of store.pages({ sdkAppIds: ['1'], groupId: 'room', limit: Number.POSITIVE_INFINITY })) {
    for (const event of page) {
      if (event.eventId >= last) inOrder = false;
      last = event.eventId;
      count += 1;
      if (count % sampleEvery === 0) heap.push(heapNow());
    }
  }
  return { count, inOrder, before, heap };
}

/** What the soak shows, one line each, false where a bound is broken. */
export function soakChecks(result: SoakResult, events: number): Array<{ name: string; ok: boolean; detail: string }> {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const aboveStart = Math.max(...result.heap) - result.before;
  const growth = result.heap.at(-2)! - result.heap[0]!;
  return [
    { name: `every one of ${events} events listed, newest first`, ok: result.count === events && result.inOrder, detail: `${result.count} listed` },
    { name: `the heap stays within ${mb(SOAK_HEAP_BOUNDS.aboveStart)} of the start`, ok: aboveStart < SOAK_HEAP_BOUNDS.aboveStart, detail: mb(aboveStart) },
    { name: `and grows less than ${mb(SOAK_HEAP_BOUNDS.growth)} from the first tenth to the ninth`, ok: growth < SOAK_HEAP_BOUNDS.growth, detail: mb(growth) },
  ];
}
