/**
 * Issue 17: local mode has the stream semantics AWS has. Every event the table holds reaches the
 * synced view and the forward target, as the table holds it: a delivery found to be a duplicate,
 * whose first write never reached the change log, and a write whose append a crash cut off, which the
 * start reconciles from the table.
 */

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { DynamoDbEventStore } from '../../functions/store/dynamodb-event-store.ts';
import type { EventFilter } from '../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../functions/store/read/dynamodb-event-reader.ts';
import { dataDirLayout } from '../../local/data-dir.ts';
import { LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { EventSpool, type ReplayCounts } from '../../local/event-spool.ts';
import { waitFor } from '../support/event-stream.ts';
import { type ForwardTarget, startForwardTarget } from '../support/forward-target.ts';
import { storedEventOf } from '../support/group-lives.ts';
import { post, SDK_APP_ID, startTestReceiver, type TestReceiver } from '../support/receiver.ts';
import { refusingProxy } from '../support/refusing-proxy.ts';

const root = mkdtempSync(join(tmpdir(), 'local-stream-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;
const folder = () => join(root, `case-${++made}`);

let receiver: TestReceiver | undefined;
let target: ForwardTarget | undefined;
afterEach(async () => {
  await receiver?.close();
  await target?.down();
  receiver = target = undefined;
});

const COMMAND = 'Group.CallbackAfterGroupInfoChanged';
const callback = (group: string) => ({
  command: COMMAND,
  body: JSON.stringify({ CallbackCommand: COMMAND, GroupId: group, Name: `${group} renamed`, Operator_Account: 'leckie', EventTime: 1_670_574_414_000 }),
  platform: 'RESTAPI',
});
const said: string[] = [];
// These tests are about what reaches the consumers, not when: the view gathers a batch for a millisecond,
// not 250 ms, which each idle() after a write waited out.
const quiet = { initialDelayMs: 20, maxDelayMs: 200, viewBatchWindowMs: 1, say: (line: string) => said.push(line) };
const forwardedIds = () => target!.received.map((event) => event.detail.eventId as string);

describe('the local stream', () => {
  test('a delivery found in the table already, though never in the log, is forwarded and projected as the table holds it', async () => {
    target = await startForwardTarget();
    receiver = await startTestReceiver({ forwardUrl: target.url, stream: quiet });
    // Written by a process that died before its append: the table has it, the log does not.
    const written = storedEventOf(SDK_APP_ID, callback('@TGS#earlier'), 1_600_000_000_000);
    expect((await new DynamoDbEventStore(receiver.store.client, LOCAL_TABLE_NAME).put(written)).outcome).toBe('stored');
    // Tencent's retry.
    expect((await post(receiver, { command: COMMAND, body: callback('@TGS#earlier').body })).answer.ErrorCode).toBe(0);
    expect(receiver.records.at(-1)?.outcome).toBe('duplicate');
    await receiver.idle();
    expect(target.received.map((event) => [event.detail.eventId, event.detail.receivedAt])).toEqual([[written.eventId, written.receivedAt]]);
    expect(await receiver.state.store.group(SDK_APP_ID, '@TGS#earlier')).toMatchObject({ name: '@TGS#earlier renamed' });
    // Once: a further retry finds it in the log.
    await post(receiver, { command: COMMAND, body: callback('@TGS#earlier').body });
    await receiver.idle();
    expect(forwardedIds()).toEqual([written.eventId]);
  });

  test("at start, the table's writes since the log's last record that the log lacks are appended, and only those", async () => {
    const dataDir = folder();
    target = await startForwardTarget();
    receiver = await startTestReceiver({ dataDir, forwardUrl: target.url, stream: quiet });
    await post(receiver, { command: COMMAND, body: callback('@TGS#logged').body });
    await receiver.idle();
    await receiver.close();
    receiver = undefined;

    // A write whose append a crash cut off: in the table on disk, not in the log.
    const store = await startEmbeddedStore({ dataDir, port: 0 });
    const cutOff = storedEventOf(SDK_APP_ID, callback('@TGS#cut-off'), Date.now());
    await new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME).put(cutOff);
    await store.close();

    said.length = 0;
    receiver = await startTestReceiver({ dataDir, forwardUrl: target.url, stream: quiet });
    expect(await receiver.stream.reconciled).toBe(1);
    await receiver.idle();
    expect(target.received.map((event) => event.detail.groupId)).toEqual(['@TGS#logged', '@TGS#cut-off']);
    expect(await receiver.state.store.group(SDK_APP_ID, '@TGS#cut-off')).toMatchObject({ name: '@TGS#cut-off renamed' });
    expect(said).toEqual([expect.stringMatching(/^Reconciled: 1 events in the table were not in the change log/)]);
  });

  test("a data directory of the forward outbox's days: what waited in it is forwarded from the table, and the outbox goes", async () => {
    const dataDir = folder();
    const waiting = storedEventOf(SDK_APP_ID, callback('@TGS#waited'), Date.now() - 3_600_000);
    const store = await startEmbeddedStore({ dataDir, port: 0 });
    await new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME).put(waiting);
    await store.close();
    const outbox = join(dataDir, dataDirLayout.legacyForward);
    mkdirSync(outbox);
    writeFileSync(join(outbox, 'outbox.jsonl'), `${JSON.stringify({ detail: { eventId: waiting.eventId, receivedAt: waiting.receivedAt } })}\n`);

    target = await startForwardTarget();
    receiver = await startTestReceiver({ dataDir, forwardUrl: target.url, stream: quiet });
    await receiver.idle();
    expect(forwardedIds()).toEqual([waiting.eventId]);
    expect(existsSync(outbox)).toBe(false);
  });

  // Seed 1216971024 at load 12: the first replay at start stored none of what the killed run had
  // spooled (its writes overran their budget), "Caught up" was printed after it, and the replays that
  // stored the rest came later; the process was stopped before the view had them.
  test('what an earlier run spooled is in the view and forwarded before idle() resolves, though the first replays cannot store it', async () => {
    const dataDir = folder();
    const groups = ['@TGS#spooled-1', '@TGS#spooled-2', '@TGS#spooled-3'];
    const spooled = groups.map((group, index) => storedEventOf(SDK_APP_ID, callback(group), Date.now() + index));
    const earlier = new EventSpool(join(dataDir, dataDirLayout.spool));
    for (const event of spooled) await earlier.keep(event);

    const dynamo = await startEmbeddedStore({ port: 0 });
    // The events table takes no write until the test says; reads (the reconcile) and the state table pass.
    const proxy = await refusingProxy(dynamo.endpoint, ({ operation, body }) => operation === 'PutItem' && body.TableName === LOCAL_TABLE_NAME);
    proxy.refuse(true);
    try {
      target = await startForwardTarget();
      const replays: ReplayCounts[] = [];
      receiver = await startTestReceiver({
        dataDir,
        dynamodbEndpoint: proxy.endpoint,
        forwardUrl: target.url,
        stream: quiet,
        replayIntervalMs: 50,
        onReplay: (counts) => replays.push(counts),
      });
      const { spool } = receiver;
      let pendingWhenIdle: number | undefined;
      const idle = receiver.idle().then(() => {
        pendingWhenIdle = spool!.pending();
      });
      await waitFor('a replay that stores nothing', () => replays.length > 0, 60_000, 10);
      expect(replays[0]).toMatchObject({ stored: 0, duplicates: 0, remaining: spooled.length });
      // Every record of the log is done (it has none): all that is left is in the spool.
      await receiver.stream.idle();
      proxy.refuse(false);
      await idle;

      expect(pendingWhenIdle).toBe(0);
      expect(forwardedIds().sort()).toEqual(spooled.map((event) => event.eventId).sort());
      for (const group of groups) expect(await receiver.state.store.group(SDK_APP_ID, group)).toMatchObject({ name: `${group} renamed` });
      expect(proxy.refused()).toBeGreaterThan(0);
    } finally {
      await receiver?.close();
      receiver = undefined;
      await proxy.close();
      await dynamo.close();
    }
  });

  test('the indexer consumes the log too: an event posted is listed across the app, by its command and by each account it names, once, across a restart', async () => {
    const dataDir = folder();
    receiver = await startTestReceiver({ dataDir, stream: quiet });
    const join = (n: number) =>
      JSON.stringify({
        CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
        GroupId: '@TGS#indexed',
        Type: 'Public',
        Operator_Account: 'leckie',
        NewMemberList: [{ Member_Account: `member-${n}` }],
        EventTime: 1_670_574_414_000 + n,
      });
    for (const n of [1, 2]) expect((await post(receiver, { command: 'Group.CallbackAfterNewMemberJoin', body: join(n) })).answer.ErrorCode).toBe(0);
    await receiver.idle();
    const listed = async (filter: Omit<EventFilter, 'sdkAppIds' | 'limit'>) =>
      (await new DynamoDbEventReader(receiver!.store.client, LOCAL_TABLE_NAME).list({ sdkAppIds: [SDK_APP_ID], limit: 10, ...filter })).map(
        (event) => event.payload,
      );
    // Across the app and by command: the digests; a member joined: a pointer under the account.
    expect(await listed({})).toEqual([join(2), join(1)]);
    expect(await listed({ command: 'Group.CallbackAfterNewMemberJoin' })).toEqual([join(2), join(1)]);
    expect(await listed({ user: 'member-1' })).toEqual([join(1)]);
    await receiver.close();
    // Restarted on the same log: the indexer resumes from its offset, re-indexing nothing into a second entry.
    receiver = await startTestReceiver({ dataDir, stream: quiet });
    expect((await post(receiver, { command: 'Group.CallbackAfterNewMemberJoin', body: join(3) })).answer.ErrorCode).toBe(0);
    await receiver.idle();
    expect(await listed({})).toEqual([join(3), join(2), join(1)]);
  });
});
