/**
 * How the chain writes a batch's items to a real table (dynalite): a few at a time, and, when one
 * write fails mid-batch, nothing acknowledged (503), no write left running, and a resend that
 * stores the rest without storing anything twice.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { callbackErrors } from '../../../functions/callback/callback-error.ts';
import type { CallbackEvent } from '../../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import { createCallbackHandler } from '../../../functions/callback/chain.ts';
import { BATCH_WRITE_CONCURRENCY } from '../../../functions/callback/route-callback.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { EventStore } from '../../../functions/store/event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { runTag, scanTable } from '../../support/event-stream.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

const COMMAND = 'Push.AllMemberPush';
const ITEMS = 100;

let embedded: EmbeddedStore;
let table: DynamoDbEventStore;
beforeAll(async () => {
  embedded = await startEmbeddedStore({ port: 0 });
  table = new DynamoDbEventStore(embedded.client, LOCAL_TABLE_NAME);
});
afterAll(() => embedded.close());

/**
 * The table, watched: how many writes started and are in flight, and the write numbers that fail
 * (as a throttled or dropped write would) before reaching it.
 */
function watchedTable(failing: ReadonlySet<number> = new Set()) {
  const watch = { started: 0, inFlight: 0, mostInFlight: 0 };
  const store: EventStore = {
    keyOf: (event) => eventKeyOf(event),
    async put(event, options) {
      const number = ++watch.started;
      watch.inFlight++;
      watch.mostInFlight = Math.max(watch.mostInFlight, watch.inFlight);
      try {
        if (failing.has(number)) throw new Error('ProvisionedThroughputExceededException (injected)');
        return await table.put(event, options);
      } finally {
        watch.inFlight--;
      }
    },
  };
  return { store, watch };
}

function chainOver(store: EventStore) {
  const records: CallbackRecord[] = [];
  const handler = createCallbackHandler({ settings: testSettings(), store, log: (record) => records.push(record) });
  const invoke = async (body: string) => {
    const event = apiGatewayEvent({ query: { SdkAppid: SDK_APP_ID, CallbackCommand: COMMAND }, body });
    const result = await handler(event as CallbackEvent, { awsRequestId: 'batch' } as Context);
    return { status: result.statusCode, answer: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
  return { invoke, records };
}

const itemsOf = (tag: string) =>
  Array.from({ length: ITEMS }, (_, n) => `{"CallbackCommand":"${COMMAND}","TaskId":"${tag}","To_Account":"user${n}","EventTime":${1557481128 + n}}`);
const batchOf = (items: readonly string[]) => `{"Events":[${items.join(',')}]}`;
const storedOfRun = async (tag: string) => (await scanTable(embedded.client)).filter((event) => event.payload.includes(`"TaskId":"${tag}"`));

describe('a batch is written a few items at a time', () => {
  test(`never more than ${BATCH_WRITE_CONCURRENCY} writes at once, every item written once`, async () => {
    const tag = runTag('pool');
    const { store, watch } = watchedTable();
    const { invoke, records } = chainOver(store);
    expect((await invoke(batchOf(itemsOf(tag)))).status).toBe(200);
    expect(watch).toEqual({ started: ITEMS, inFlight: 0, mostInFlight: BATCH_WRITE_CONCURRENCY });
    expect(records.at(-1)).toMatchObject({ outcome: 'stored', events: ITEMS });
    expect(await storedOfRun(tag)).toHaveLength(ITEMS);
  });
});

describe('one write failing mid-batch', () => {
  test('503 and nothing acknowledged; no write starts after it or runs on after the answer; the resend stores the rest, none twice', async () => {
    const tag = runTag('mid-batch');
    const items = itemsOf(tag);
    const failAt = 40;
    const { store, watch } = watchedTable(new Set([failAt]));
    const { invoke, records } = chainOver(store);

    const failed = await invoke(batchOf(items));
    expect(failed).toEqual({
      status: 503,
      answer: { ActionStatus: 'FAIL', ErrorCode: callbackErrors['store-unavailable'].errorCode, ErrorInfo: expect.any(String) },
    });
    expect(records.at(-1)).toMatchObject({ outcome: 'failed', reason: 'store-unavailable' });
    // Writes already started were finished before the answer; none began once the failure was seen.
    expect(watch.inFlight).toBe(0);
    expect(watch.started).toBeGreaterThanOrEqual(failAt);
    expect(watch.started).toBeLessThanOrEqual(failAt + BATCH_WRITE_CONCURRENCY - 1);
    const partly = await storedOfRun(tag);
    expect(partly).toHaveLength(watch.started - 1);

    // Tencent's retry: the same bytes, so the same ids.
    const retried = await invoke(batchOf(items));
    expect(retried.status).toBe(200);
    expect(records.at(-1)).toMatchObject({ outcome: 'stored', events: ITEMS });
    const stored = await storedOfRun(tag);
    expect(stored.map((event) => event.payload).sort()).toEqual([...items].sort());
  });
});
