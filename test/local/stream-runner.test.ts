/**
 * Local mode's event source mapping (local/stream-runner.ts): the change log delivered to a stream
 * consumer as Lambda delivers the table's stream, from a durable offset, retried from the first
 * record a batch reports failed, until it passes.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventOf, itemOf } from '../../functions/store/dynamodb-event-store.ts';
import { eventKeyOf } from '../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import type { Patch } from '../../functions/synced-view/patch.ts';
import { projectStream } from '../../functions/synced-view/project-stream.ts';
import type { StateWriter } from '../../functions/synced-view/state-store.ts';
import { ChangeLog } from '../../local/change-log.ts';
import { type RunnerNews, StreamRunner, type StreamRunnerOptions } from '../../local/stream-runner.ts';
import { storedEventOf } from '../support/group-lives.ts';

const root = mkdtempSync(join(tmpdir(), 'stream-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;
const folder = () => join(root, `case-${++made}`);

const memberJoin = (n: number): StoredEvent =>
  storedEventOf(
    '1400000000',
    {
      command: 'Group.CallbackAfterNewMemberJoin',
      body: JSON.stringify({ CallbackCommand: 'Group.CallbackAfterNewMemberJoin', GroupId: 'g', NewMemberList: [{ Member_Account: `m${n}` }], EventTime: n }),
      platform: 'Web',
    },
    n,
  );

const fast = { initialDelayMs: 5, maxDelayMs: 20 } as const;
const runners: StreamRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});
const run = (options: Omit<StreamRunnerOptions, 'tableName'>) => {
  const runner = new StreamRunner({ tableName: 'events', ...fast, ...options });
  runners.push(runner);
  return runner;
};

/** A consumer that keeps what it was given, and answers what `answer` says of each batch. */
function consumer(answer: (event: DynamoDBStreamEvent, call: number) => DynamoDBBatchResponse | Error = () => ({ batchItemFailures: [] })) {
  const calls: DynamoDBStreamEvent[] = [];
  const done: string[] = [];
  return {
    calls,
    done,
    handler: async (event: DynamoDBStreamEvent) => {
      calls.push(event);
      const answered = answer(event, calls.length);
      if (answered instanceof Error) throw answered;
      const failed = new Set(answered.batchItemFailures.map((failure) => failure.itemIdentifier));
      const first = event.Records.findIndex((record) => failed.has(record.dynamodb!.SequenceNumber!));
      for (const record of first < 0 ? event.Records : event.Records.slice(0, first)) done.push(eventIdOf(record));
      return answered;
    },
  };
}
const eventIdOf = (record: DynamoDBStreamEvent['Records'][number]) => eventOf(unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>)).eventId;

describe('StreamRunner', () => {
  test("delivers the log as the table's stream: INSERT records of the items the store writes, in order, in batches", async () => {
    const log = new ChangeLog();
    const events = Array.from({ length: 7 }, (_, n) => memberJoin(n + 1));
    const { calls, handler } = consumer();
    const runner = run({ name: 'view', log, handler, batchSize: 3 });
    await Promise.all(events.map((event) => log.append(event)));
    await runner.idle();
    const records = calls.flatMap((call) => call.Records);
    expect(calls.every((call) => call.Records.length <= 3)).toBe(true);
    expect(records.map((record) => record.dynamodb!.SequenceNumber)).toEqual(events.map((_, n) => String(n + 1).padStart(21, '0')));
    expect(records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { StreamViewType: 'NEW_IMAGE' } });
    // The image is the item the table holds: the store's own, keys and all (its body base64, as Lambda's JSON has it).
    const images = records.map((record) => unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>));
    const items = events.map((event) => itemOf(event, eventKeyOf(event)));
    expect(images.map(({ b: _body, ...rest }) => rest)).toEqual(items.map(({ b: _body, ...rest }) => rest));
    expect(images.map(eventOf)).toEqual(items.map(eventOf));
    expect(runner.pending()).toBe(0);
  });

  test('a partial batch response: the records before the first failed are done; the batch is tried again from it, until it passes', async () => {
    const log = new ChangeLog();
    const events = Array.from({ length: 5 }, (_, n) => memberJoin(n + 1));
    // The 3rd record fails in the first two calls, the 5th in the first one: retried from the 3rd.
    const news: RunnerNews[] = [];
    const { calls, done, handler } = consumer((event, call) => {
      const failed = event.Records.filter((record) => {
        const id = eventIdOf(record);
        return (id === events[2]!.eventId && call <= 2) || (id === events[4]!.eventId && call === 1);
      });
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.dynamodb!.SequenceNumber! })) };
    });
    const runner = run({ name: 'view', log, handler, report: (item) => news.push(item) });
    // One commit: the runner is woken once, and reads them as one batch.
    await Promise.all(events.map((event) => log.append(event)));
    await runner.idle();
    expect(done).toEqual(events.map((event) => event.eventId));
    expect(calls.map((call) => call.Records.length)).toEqual([5, 3, 3]);
    expect(news.map((item) => item.type)).toEqual(['failing', 'recovered']);
    expect(news[0]).toMatchObject({ consumer: 'view', failed: 3, pending: 3 });
  });

  test('with a batching window, records that come one by one are gathered until the batch is full', async () => {
    const log = new ChangeLog();
    const { calls, handler } = consumer();
    // A window far longer than the test: the batch goes once full, not once the window is over.
    const runner = run({ name: 'view', log, handler, batchSize: 3, batchWindowMs: 600_000 });
    for (const n of [1, 2, 3, 4, 5, 6]) await log.append(memberJoin(n));
    await runner.idle();
    expect(calls.map((call) => call.Records.length)).toEqual([3, 3]);
    expect(() => run({ name: 'view', log, handler, batchWindowMs: -1 })).toThrow(/batchWindowMs/);
  });

  test('a batch that throws is tried again whole', async () => {
    const log = new ChangeLog();
    const { calls, done, handler } = consumer((_event, call) => (call <= 2 ? new Error('down') : { batchItemFailures: [] }));
    const news: RunnerNews[] = [];
    const runner = run({ name: 'view', log, handler, report: (item) => news.push(item) });
    await Promise.all([1, 2].map((n) => log.append(memberJoin(n))));
    await runner.idle();
    expect(calls.map((call) => call.Records.length)).toEqual([2, 2, 2]);
    expect(done).toEqual([1, 2].map((n) => memberJoin(n).eventId));
    expect(news[0]).toMatchObject({ type: 'failing', error: 'down', failed: 2 });
  });

  test('resumes after a restart where its written offset says, redelivering nothing it finished', async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    const first = consumer();
    const runner = run({ name: 'forward', log, handler: first.handler });
    for (const n of [1, 2, 3]) await log.append(memberJoin(n));
    await runner.idle();
    await runner.close();
    await log.append(memberJoin(4));
    await log.close();

    const again = new ChangeLog(dir);
    const second = consumer();
    const resumed = run({ name: 'forward', log: again, handler: second.handler });
    await again.append(memberJoin(5));
    await resumed.idle();
    expect([first.done, second.done]).toEqual([[1, 2, 3].map((n) => memberJoin(n).eventId), [4, 5].map((n) => memberJoin(n).eventId)]);
  });

  test("runs the synced view's consumer (project-stream.ts): a projection the state store failed is tried again, and idle() waits for it", async () => {
    const applied: Patch[][] = [];
    let calls = 0;
    const state: StateWriter = {
      async apply(batch) {
        if (++calls <= 2) throw new Error('store down');
        applied.push(batch.flatMap(({ patches }) => patches));
        return [];
      },
    };
    const log = new ChangeLog();
    const lines: RunnerNews[] = [];
    const runner = run({ name: 'view', log, handler: projectStream({ state, log: () => undefined }), report: (item) => lines.push(item) });
    await log.append(memberJoin(1));
    await runner.idle();
    expect(applied).toHaveLength(1);
    expect(applied[0]![0]!.ref).toMatchObject({ scope: 'group', id: 'g', part: 'member', key: 'm1' });
    expect(lines.map((line) => line.type)).toEqual(['failing', 'recovered']);
  });

  test('closed while failing: the wait between tries is cut short, and what failed stays for the next start', async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    const { calls, handler } = consumer(() => new Error('down'));
    const runner = new StreamRunner({ name: 'view', log, handler, tableName: 'events', initialDelayMs: 60_000, maxDelayMs: 60_000 });
    await log.append(memberJoin(1));
    while (calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await runner.close();
    await log.close();
    const again = new ChangeLog(dir);
    expect(again.countAfter(again.offset('view').position)).toBe(1);
  });
});
