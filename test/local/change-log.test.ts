/**
 * Issue 17: local mode's change log, the durable stand-in for the table's stream. Every event once,
 * on disk before the append returns, group-committed; each consumer's offset durable; a torn tail
 * (a crash mid-append) cut; consumed segments compacted, the last one kept.
 */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { ChangeLog, type LogRecord } from '../../local/change-log.ts';
import { GroupCommit } from '../../local/group-commit.ts';

const root = mkdtempSync(join(tmpdir(), 'change-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;
const folder = () => join(root, `case-${++made}`);

const eventOf = (n: number): StoredEvent => ({
  eventId: n.toString(16).padStart(32, '0'),
  command: 'Group.CallbackAfterGroupInfoChanged',
  kind: 'after',
  sdkAppId: '1400000000',
  groupId: `@TGS#${n}`,
  receivedAt: 1_700_000_000_000 + n,
  payload: JSON.stringify({ CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: `@TGS#${n}`, n }),
  valid: true,
  expiresAt: 1_800_000_000,
});
const ids = (records: readonly LogRecord[]) => records.map((record) => record.event.eventId);
const segments = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

describe('GroupCommit', () => {
  test('what is added in one turn is one commit; what is added during a commit waits for the next, all of it together', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const group = new GroupCommit<number>(async (batch) => {
      batches.push([...batch]);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = [1, 2, 3].map((n) => group.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // The first commit is under way: these wait, and go together.
    const second = [4, 5, 6, 7].map((n) => group.add(n));
    release();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  test("a failed commit rejects its batch's adds only", async () => {
    const group = new GroupCommit<number>(async (batch) => {
      if (batch.includes(1)) throw new Error('disk full');
    });
    const failed = group.add(1);
    await expect(failed).rejects.toThrow('disk full');
    await expect(group.add(2)).resolves.toBeUndefined();
  });
});

describe('ChangeLog', () => {
  test('keeps each event once, by id, in the order appended, and reads it back after a restart', async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    const told: string[] = [];
    log.onRecord((record) => told.push(record.event.eventId));
    await Promise.all([1, 2, 3, 2, 1].map((n) => log.append(eventOf(n))));
    await log.append(eventOf(3));
    const first = [1, 2, 3].map((n) => eventOf(n).eventId);
    expect([log.end(), ids(log.read(0, 10)), told]).toEqual([3, first, first]);
    expect(ids(log.read(1, 1))).toEqual([eventOf(2).eventId]);
    await log.close();

    const again = new ChangeLog(dir);
    expect([again.end(), again.has(eventOf(2).eventId), again.unreadable]).toEqual([3, true, 0]);
    expect(again.read(0, 10)).toEqual(log.read(0, 10));
    await again.append(eventOf(2));
    await again.append(eventOf(4));
    expect(again.read(0, 10).map((record) => record.seq)).toEqual([1, 2, 3, 4]);
    // One record a line, as JSON.
    const lines = readFileSync(join(dir, segments(dir)[0]!), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.map((line) => (JSON.parse(line) as LogRecord).event)).toEqual([1, 2, 3, 4].map(eventOf));
  });

  test('a torn last line (a crash mid-append) is cut at start, and the next append starts a line of its own', async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    await log.append(eventOf(1));
    await log.close();
    const [segment] = segments(dir);
    writeFileSync(join(dir, segment!), `${readFileSync(join(dir, segment!), 'utf8')}{"seq":2,"at":1,"ev`);
    const again = new ChangeLog(dir);
    expect([again.unreadable, again.end(), again.has(eventOf(1).eventId)]).toEqual([1, 1, true]);
    await again.append(eventOf(2));
    const reread = new ChangeLog(dir);
    expect([reread.unreadable, ids(reread.read(0, 10))]).toEqual([0, [1, 2].map((n) => eventOf(n).eventId)]);
  });

  test('an append the disk refuses rejects, and the event may be appended again', async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    // The segment's path is taken by a folder: the file cannot be opened.
    mkdirSync(join(dir, '0000000000000001.jsonl'));
    await expect(log.append(eventOf(1))).rejects.toThrow();
    expect([log.has(eventOf(1).eventId), log.end()]).toEqual([false, 0]);
    rmSync(join(dir, '0000000000000001.jsonl'), { recursive: true });
    await log.append(eventOf(1));
    expect(ids(log.read(0, 10))).toEqual([eventOf(1).eventId]);
  });

  test("a consumer's offset: new ones start at the end, a written one is where it resumes", async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    await log.append(eventOf(1));
    const view = log.offset('view');
    expect(view.position).toBe(1);
    await log.append(eventOf(2));
    await log.append(eventOf(3));
    view.commit(2);
    await view.flush();
    expect(readFileSync(join(dir, 'view.offset'), 'utf8')).toBe('2');
    await log.close();

    const again = new ChangeLog(dir);
    const resumed = again.offset('view');
    expect([resumed.position, ids(again.read(resumed.position, 10))]).toEqual([2, [eventOf(3).eventId]]);
    expect(again.offset('forward').position).toBe(3);
  });

  test('an offset file there but unreadable (emptied by a power loss) resumes at the oldest record kept, not at the end: nothing is skipped', async () => {
    const dir = folder();
    const log = new ChangeLog(dir);
    const view = log.offset('view');
    for (const n of [1, 2, 3]) await log.append(eventOf(n));
    view.commit(1);
    await view.flush();
    await log.close();

    for (const text of ['', 'garbage', '\u0000\u0000']) {
      writeFileSync(join(dir, 'view.offset'), text);
      const again = new ChangeLog(dir);
      const resumed = again.offset('view');
      expect([text, ids(again.read(resumed.position, 10))]).toEqual([text, [1, 2, 3].map((n) => eventOf(n).eventId)]);
      await again.close();
    }
  });

  test('a segment every consumer is done with goes once it is old enough; the last stays, and the ids of what went are forgotten', async () => {
    const dir = folder();
    let now = 1_000_000;
    const log = new ChangeLog(dir, { segmentBytes: 1, keepMs: 1_000, now: () => now });
    const view = log.offset('view');
    const forward = log.offset('forward');
    for (const n of [1, 2, 3]) await log.append(eventOf(n));
    expect(segments(dir)).toHaveLength(3);
    view.commit(3);
    await view.flush();
    // The forward consumer has not read them: all stay.
    expect(segments(dir)).toHaveLength(3);
    forward.commit(2);
    await forward.flush();
    // Done with, but too recent: the reconcile at start may look for them.
    expect(segments(dir)).toHaveLength(3);
    now += 2_000;
    forward.commit(3);
    await forward.flush();
    expect(segments(dir)).toEqual(['0000000000000003.jsonl']);
    expect([log.has(eventOf(1).eventId), log.has(eventOf(3).eventId)]).toEqual([false, true]);
    await log.close();
    const again = new ChangeLog(dir);
    expect([again.end(), ids(again.read(0, 10))]).toEqual([3, [eventOf(3).eventId]]);
  });

  test('without a folder it keeps the records in memory, read once every consumer is past them', async () => {
    const log = new ChangeLog();
    const view = log.offset('view');
    await Promise.all([1, 2, 3].map((n) => log.append(eventOf(n))));
    expect(log.countAfter(view.position)).toBe(3);
    view.commit(3);
    expect([log.countAfter(0), log.has(eventOf(1).eventId)]).toEqual([0, true]);
  });
});
