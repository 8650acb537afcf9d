import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDbEventStore } from '../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import { eventKeyOf } from '../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { EventSpool, type ReplayCounts } from '../../local/event-spool.ts';

const event = (n: number): StoredEvent => {
  const payload = JSON.stringify({ CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: `@TGS#spool${n}` });
  return {
    eventId: eventIdOf('1400000000', 'Group.CallbackAfterGroupFull', payload),
    command: 'Group.CallbackAfterGroupFull',
    kind: 'unregistered',
    sdkAppId: '1400000000',
    groupId: `@TGS#spool${n}`,
    receivedAt: 1_700_000_000_000 + n,
    payload,
    valid: true,
    expiresAt: 1_800_000_000,
  };
};

let store: EmbeddedStore;
let events: DynamoDbEventStore;
const dirs: string[] = [];
const spoolDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spool-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  events = new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME);
});
afterAll(async () => {
  await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Each write's budget: ample, whatever the machine's load (the budget's own tests are in fallback-event-store.test.ts). */
const BUDGET_MS = 10_000;

/** A store that is down: every put fails, as when dynalite has stopped. */
const down = { keyOf: (stored: StoredEvent) => eventKeyOf(stored), put: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4567')) };

describe('EventSpool', () => {
  test('keeps events on disk until a replay stores them; a second replay finds nothing', async () => {
    const dir = spoolDir();
    const spool = new EventSpool(dir);
    await spool.keep(event(1));
    await spool.keep(event(2));
    expect(spool.pending()).toBe(2);
    // Another process (the next `npm start`) sees the same spool.
    expect(new EventSpool(dir).pending()).toBe(2);

    expect(await spool.replay(events, BUDGET_MS)).toEqual({ stored: 2, duplicates: 0, remaining: 0, torn: 0 });
    expect(spool.pending()).toBe(0);
    expect(await spool.replay(events, BUDGET_MS)).toEqual({ stored: 0, duplicates: 0, remaining: 0, torn: 0 });
  });

  test('writes an event already in the table once: a replay after a crash only finds duplicates', async () => {
    const spool = new EventSpool(spoolDir());
    await events.put(event(3));
    await spool.keep(event(3));
    expect(await spool.replay(events, BUDGET_MS)).toEqual({ stored: 0, duplicates: 1, remaining: 0, torn: 0 });
  });

  test('keeps what the store refuses, in order, for the next replay', async () => {
    const spool = new EventSpool(spoolDir());
    for (const n of [4, 5, 6]) await spool.keep(event(n));
    expect(await spool.replay(down, BUDGET_MS)).toEqual({ stored: 0, duplicates: 0, remaining: 3, torn: 0 });
    expect(spool.pending()).toBe(3);
    expect(await spool.replay(events, BUDGET_MS)).toEqual({ stored: 3, duplicates: 0, remaining: 0, torn: 0 });
  });

  test('is drained once a replay puts nothing back, not when a replay that left events is done', async () => {
    const spool = new EventSpool(spoolDir());
    let drained = false;
    void spool.drained().then(() => (drained = true));
    for (const n of [16, 17]) await spool.keep(event(n));
    await spool.replay(down, BUDGET_MS);
    expect(drained).toBe(false);
    expect(await spool.replay(events, BUDGET_MS)).toMatchObject({ stored: 2, remaining: 0 });
    expect(drained).toBe(true);
  });

  test('goes on at once while a pass stores some and puts the rest back: one replay drains what a failed write cut short', async () => {
    const reported: ReplayCounts[] = [];
    const spool = new EventSpool(spoolDir(), { onReplay: (counts) => reported.push(counts) });
    for (const n of [30, 31, 32, 33]) await spool.keep(event(n));
    // The second write fails (a write past its budget): the first pass stores one and puts three back.
    let puts = 0;
    const failingSecond = { keyOf: events.keyOf.bind(events), put: (stored: StoredEvent) => (++puts === 2 ? down.put() : events.put(stored)) };
    expect(await spool.replay(failingSecond, BUDGET_MS)).toEqual({ stored: 4, duplicates: 0, remaining: 0, torn: 0 });
    expect(reported).toEqual([
      { stored: 1, duplicates: 0, remaining: 3, torn: 0 },
      { stored: 3, duplicates: 0, remaining: 0, torn: 0 },
    ]);
    expect(spool.pending()).toBe(0);
  });

  test('skips a line cut short by a crash mid-append: it was never acknowledged', async () => {
    const dir = spoolDir();
    const spool = new EventSpool(dir);
    await spool.keep(event(7));
    appendFileSync(join(dir, 'current.jsonl'), JSON.stringify(event(8)).slice(0, 40));
    expect(await spool.replay(events, BUDGET_MS)).toEqual({ stored: 1, duplicates: 0, remaining: 0, torn: 1 });
  });

  test('starts a new line after a torn one, so the next acknowledged event is not glued to it', async () => {
    const dir = spoolDir();
    appendFileSync(join(dir, 'current.jsonl'), JSON.stringify(event(13)).slice(0, 40));
    await new EventSpool(dir).keep(event(14));
    expect(await new EventSpool(dir).replay(events, BUDGET_MS)).toEqual({ stored: 1, duplicates: 0, remaining: 0, torn: 1 });
  });

  test('reports each replay that did something once, however many callers shared it', async () => {
    const reports: unknown[] = [];
    const spool = new EventSpool(spoolDir(), { onReplay: (counts) => reports.push(counts) });
    await spool.keep(event(15));
    await Promise.all([spool.replay(events, BUDGET_MS), spool.replay(events, BUDGET_MS), spool.replay(events, BUDGET_MS)]);
    await spool.replay(events, BUDGET_MS);
    expect(reports).toEqual([{ stored: 1, duplicates: 0, remaining: 0, torn: 0 }]);
  });

  test('picks up a file a crash left mid-replay', async () => {
    const dir = spoolDir();
    writeFileSync(join(dir, 'replaying-1-0.jsonl'), `${JSON.stringify(event(9))}\n`);
    const spool = new EventSpool(dir);
    expect(spool.pending()).toBe(1);
    expect(await spool.replay(events, BUDGET_MS)).toEqual({ stored: 1, duplicates: 0, remaining: 0, torn: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('takes new events while a replay runs, and loses none of them', async () => {
    const spool = new EventSpool(spoolDir());
    await spool.keep(event(10));
    const replaying = spool.replay(events, BUDGET_MS);
    await spool.keep(event(11));
    expect(await replaying).toMatchObject({ stored: 1 });
    expect(spool.pending()).toBe(1);
    expect(await spool.replay(events, BUDGET_MS)).toMatchObject({ stored: 1, remaining: 0 });
  });

  test('runs one replay at a time: a second call shares the first', async () => {
    const spool = new EventSpool(spoolDir());
    await spool.keep(event(12));
    const [first, second] = await Promise.all([spool.replay(events, BUDGET_MS), spool.replay(events, BUDGET_MS)]);
    expect(first).toBe(second);
    expect(first).toEqual({ stored: 1, duplicates: 0, remaining: 0, torn: 0 });
  });
});
