/**
 * What the inspector keeps (local/inspector/captured-callbacks.ts, kept-file.ts): a bulk load of one
 * command does not push out the newest callback of another, and what is kept outlives a restart, in
 * a file of DATA_DIR that only its owner can read, bounded as memory is.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { keptCount, MAX_KEPT } from '../../../local/inspector/captured-callbacks.ts';
import type { InspectedCallback } from '../../../local/inspector/inspector-types.ts';
import { routes } from '../../../local/inspector/routes.ts';
import { runStream } from '../../support/event-stream.ts';
import { action, liveUntil, pageToken } from '../../support/inspector-client.ts';
import { post, startTestReceiver, type TestReceiver, testSettings } from '../../support/receiver.ts';

const policy = { rules: [{ command: 'Group.CallbackBeforeCreateTopic', field: 'Name', in: ['forbidden'], refuse: { code: 10101, info: 'name not allowed' } }] };
const settings = testSettings({ policy });
/** The bound proven on a few (the `keep` option); MAX_KEPT, the default, is the same code with another number. */
const KEEP = 60;
const dataDir = mkdtempSync(join(tmpdir(), 'inspector-kept-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const BULK = KEEP + 20;
const refusal = JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', GroupId: '@TGS#kept', Name: 'forbidden', Operator_Account: 'leckie' });
const isRefusal = (callback: InspectedCallback) =>
  callback.source === 'live' && callback.record.outcome === 'refused' && callback.record.groupId === '@TGS#kept';

/** What a page that opens now is sent of the callbacks kept: as many as are kept (KEEP), at most. */
async function backlog(receiver: TestReceiver): Promise<InspectedCallback[]> {
  const live = (callbacks: InspectedCallback[]) => callbacks.filter((callback) => callback.source === 'live');
  return live((await liveUntil(receiver, (callbacks) => live(callbacks).length >= KEEP)).seen);
}

let first: TestReceiver;
beforeAll(async () => {
  first = await startTestReceiver({ settings, dataDir, inspector: { keep: KEEP }, onReplay: () => undefined });
  expect((await post(first, { command: 'Group.CallbackBeforeCreateTopic', body: refusal })).answer).toMatchObject({ ErrorCode: 10101 });
  // A bulk load of one command, more than the inspector keeps, 8 at a time (as Tencent's callbacks
  // come): the first 8 are among the oldest BULK - KEEP, the last 8 among the newest.
  await runStream(BULK, 8, async (n) => {
    const body = JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: `@TGS#bulk-${n}`, Type: 'Public' });
    expect((await post(first, { command: 'Group.CallbackAfterCreateGroup', body })).status).toBe(200);
  });
}, 120_000);

describe('a bulk load', () => {
  test(`of ${BULK} callbacks of one command keeps ${KEEP} in all, and the newest of another command among them`, async () => {
    const kept = await backlog(first);
    expect(kept).toHaveLength(KEEP);
    expect(kept.filter(isRefusal)).toHaveLength(1);
    // The bulk's oldest went; its newest stayed.
    const groups = new Set(kept.map((callback) => callback.record.groupId));
    expect(groups.has('@TGS#bulk-0')).toBe(false);
    expect(groups.has(`@TGS#bulk-${BULK - 1}`)).toBe(true);
  });
});

describe('the keep option', () => {
  test(`is MAX_KEPT (${MAX_KEPT}) when not given, and a whole number from 1 to MAX_KEPT when given`, () => {
    expect(keptCount(undefined)).toBe(MAX_KEPT);
    expect(keptCount(1)).toBe(1);
    for (const keep of [0, MAX_KEPT + 1, 2.5, Number.NaN])
      expect(() => keptCount(keep)).toThrow(`keep must be a whole number of callbacks from 1 to ${MAX_KEPT}`);
  });
});

describe('a restart', () => {
  let second: TestReceiver;
  beforeAll(async () => {
    await first.close();
    second = await startTestReceiver({ settings, dataDir, inspector: { keep: KEEP }, onReplay: () => undefined });
  });
  afterAll(() => second?.close());

  test('leaves a file only its owner can read, holding what was kept and no more', () => {
    const file = join(dataDir, 'inspector', 'callbacks.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'inspector')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(KEEP);
  });

  test("brings the run before's callbacks back, marked, refusals included, and they can be replayed", async () => {
    const kept = await backlog(second);
    expect(kept).toHaveLength(KEEP);
    const refused = kept.find(isRefusal)!;
    expect(refused).toMatchObject({ earlier: true, answer: { status: 200 }, replayable: true });
    // Its curl is made for the port of this run.
    expect(refused.curl).toContain(new URL(second.callbackUrl).host);
    const replayed = await action(second, routes.replay, { id: refused.id }, await pageToken(second));
    expect(replayed).toMatchObject({ status: 200, body: { status: 200 } });
    expect(JSON.parse(String(replayed.body.answer))).toMatchObject({ ErrorCode: 10101 });
  });
});
