/**
 * Batch callbacks (`Push.*`: `{"Events":[…]}`) over HTTP into the local receiver and its dynalite
 * table: a batch over maxBatchItems is refused before anything is stored; a full batch is stored
 * once per item, each as the exact bytes it had in the body; and while the table hangs, a batch
 * written a few items at a time still goes to the fallback within one write budget.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { callbackErrors } from '../../functions/callback/callback-error.ts';
import { BATCH_WRITE_CONCURRENCY } from '../../functions/callback/route-callback.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { startDynamoDb } from '../support/dynamodb-servers.ts';
import { runTag, scanTable } from '../support/event-stream.ts';
import { post, SDK_APP_ID, startTestReceiver, type TestReceiver, testSettings } from '../support/receiver.ts';
import { answerSwallowingProxy } from '../support/swallowing-proxy.ts';

const COMMAND = 'Push.OfflinePush';
const root = mkdtempSync(join(tmpdir(), 'batch-callbacks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Six spellings of three numbers: JSON.stringify would make three texts, and so three events, of them. */
const SPELLINGS = ['7.0', '7', '1e2', '100', '9007199254740993', '9007199254740992'];

/**
 * `count` items of the run `tag`, as a sender may write them: the first six differ only in how
 * `MsgSeq` is spelled, the rest in spacing, key order and number spelling too.
 */
function itemsOf(tag: string, count: number): string[] {
  return Array.from({ length: count }, (_, n) =>
    n < SPELLINGS.length
      ? `{"CallbackCommand":"${COMMAND}","EventTime":1557481127,"To_Account":"${tag}-same","MsgSeq":${SPELLINGS[n]}}`
      : `{ "To_Account" : "${tag}-${n}",\n  "CallbackCommand":"${COMMAND}", "EventTime": 1557481127.0, "MsgSeq": ${n}e0, "ErrInfo": "[\\"}\\u005d" }`,
  );
}
const batchOf = (items: readonly string[]) => `{"Events": [\n  ${items.join(' ,\n  ')}\n]}`;

const ofRun = (tag: string) => (event: StoredEvent) => event.user?.startsWith(`${tag}-`) === true;
const sorted = (texts: readonly string[]) => [...texts].sort();

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver();
});
afterAll(() => receiver.close());

const table = () => scanTable(receiver.store.client);

describe("a batch over maxBatchItems (100 by default, Tencent's most)", () => {
  test("20,000 bare items, the attack campaign's request: 413 with the limit and the count, nothing stored", async () => {
    const before = (await table()).length;
    const body = `{"Events":[${Array.from({ length: 20_000 }, (_, n) => n).join(',')}]}`;
    const { status, answer } = await post(receiver, { command: COMMAND, body });
    expect(status).toBe(413);
    expect(answer).toEqual({
      ActionStatus: 'FAIL',
      ErrorCode: callbackErrors['batch-too-large'].errorCode,
      ErrorInfo: 'Events holds 20000 items, more than the 100 allowed in one callback',
    });
    expect(receiver.records.at(-1)).toMatchObject({ command: COMMAND, outcome: 'rejected', reason: 'batch-too-large', status: 413 });
    expect((await table()).length).toBe(before);
  });

  test('101 well-formed items: refused whole, not one of them stored', async () => {
    const tag = runTag('over');
    const { status, answer } = await post(receiver, { command: COMMAND, body: batchOf(itemsOf(tag, 101)) });
    expect({ status, ErrorCode: answer.ErrorCode, ErrorInfo: answer.ErrorInfo }).toEqual({
      status: 413,
      ErrorCode: callbackErrors['batch-too-large'].errorCode,
      ErrorInfo: 'Events holds 101 items, more than the 100 allowed in one callback',
    });
    expect((await table()).filter(ofRun(tag))).toEqual([]);
  });

  test('the limit is the setting: with maxBatchItems 5, six items are refused and five are stored', async () => {
    const small = await startTestReceiver({ settings: testSettings({ maxBatchItems: '5' }) });
    try {
      const tag = runTag('small');
      const refused = await post(small, { command: COMMAND, body: batchOf(itemsOf(tag, 6)) });
      expect({ status: refused.status, ErrorInfo: refused.answer.ErrorInfo }).toEqual({
        status: 413,
        ErrorInfo: 'Events holds 6 items, more than the 5 allowed in one callback',
      });
      expect((await scanTable(small.store.client)).filter(ofRun(tag))).toEqual([]);
      expect((await post(small, { command: COMMAND, body: batchOf(itemsOf(tag, 5)) })).status).toBe(200);
      expect((await scanTable(small.store.client)).filter(ofRun(tag))).toHaveLength(5);
    } finally {
      await small.close();
    }
  });
});

describe('a full batch of 100 items', () => {
  test('is stored once per item, each as its exact bytes and identified by them; a resend stores nothing new', async () => {
    const tag = runTag('full');
    const items = itemsOf(tag, 100);
    const body = batchOf(items);

    const first = await post(receiver, { command: COMMAND, body });
    expect({ status: first.status, answer: first.answer }).toEqual({ status: 200, answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } });
    expect(receiver.records.at(-1)).toMatchObject({ command: COMMAND, outcome: 'stored', events: 100, valid: true });
    const stored = (await table()).filter(ofRun(tag));
    expect(stored).toHaveLength(100);
    // The payload is the item's slice of the body, byte for byte, and the id hashes exactly that.
    expect(sorted(stored.map((event) => event.payload))).toEqual(sorted(items));
    expect(sorted(stored.map((event) => event.eventId))).toEqual(sorted(items.map((item) => eventIdOf(SDK_APP_ID, COMMAND, item))));
    // Six items that differ only in how a number is spelled are six events, each spelled as sent.
    const same = stored.filter((event) => event.user === `${tag}-same`);
    expect(sorted(same.map((event) => /"MsgSeq":([^}]+)\}$/.exec(event.payload)?.[1] ?? ''))).toEqual(sorted(SPELLINGS));

    const total = (await table()).length;
    const resent = await post(receiver, { command: COMMAND, body });
    expect(resent.status).toBe(200);
    expect(receiver.records.at(-1)).toMatchObject({ command: COMMAND, outcome: 'duplicate', events: 100 });
    expect((await table()).length).toBe(total);
  });
});

describe('while the table hangs, with a fallback (the spool)', () => {
  test('a batch is answered within one write budget: once it is spent, the items not yet written go to the fallback without waiting on the table', async () => {
    const server = await startDynamoDb('dynalite');
    const tag = runTag('hung');
    const items = itemsOf(tag, 100);
    try {
      const proxy = await answerSwallowingProxy(server.endpoint);
      const hung = await startTestReceiver({
        dynamodbEndpoint: proxy.endpoint,
        dataDir: join(root, 'hung'),
        // No replay while the test looks: the spool must hold what the batch left there.
        replayIntervalMs: 3_600_000,
        onReplay: () => undefined,
        settings: testSettings({ writeBudgetMs: 200 }),
      });
      try {
        proxy.swallow(true);
        const { status, answer } = await post(hung, { command: COMMAND, body: batchOf(items) });
        expect({ status, ErrorCode: answer.ErrorCode }).toEqual({ status: 200, ErrorCode: 0 });
        expect(hung.records.at(-1)).toMatchObject({ command: COMMAND, outcome: 'queued', events: 100 });
        expect(hung.spool!.pending()).toBe(100);
        // Only the first round ever reached the table: with a budget per write instead, every round
        // would have waited its own 200 ms on the table and all 100 writes would have landed.
        expect((await scanTable(server.client)).filter(ofRun(tag)).length).toBeLessThanOrEqual(BATCH_WRITE_CONCURRENCY);
      } finally {
        proxy.swallow(false);
        // Closing replays the spool into the table, each write within the 200 ms budget.
        await hung.close();
        await proxy.close();
      }
      // What a busy machine could not write within the budget at close stays spooled: the next
      // start replays it, and again every 100 ms until a replay puts nothing back (drained).
      const next = await startTestReceiver({
        dynamodbEndpoint: server.endpoint,
        dataDir: join(root, 'hung'),
        replayIntervalMs: 100,
        onReplay: () => undefined,
      });
      try {
        await next.spool!.drained();
        expect(next.spool!.pending()).toBe(0);
      } finally {
        await next.close();
      }
      const stored = (await scanTable(server.client)).filter(ofRun(tag));
      expect(sorted(stored.map((event) => event.payload))).toEqual(sorted(items));
    } finally {
      await server.close();
    }
  }, 240_000);
});
