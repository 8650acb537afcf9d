/**
 * Issue 17: DATA_DIR holds every stored callback, message content included, and was world-readable
 * (0755/0644). What local mode keeps there is its owner's only, whatever the umask
 * (local/data-dir.ts): folders 0700, files 0600.
 */

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { ChangeLog } from '../../local/change-log.ts';
import { dataDirLayout, secureDataDir } from '../../local/data-dir.ts';
import { EventSpool } from '../../local/event-spool.ts';

const root = mkdtempSync(join(tmpdir(), 'data-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;
const folder = () => join(root, `case-${++made}`);
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

// The usual umask, under which mkdir gives 0755 and a new file 0644: what local mode must not leave.
let umask: number;
beforeEach(() => {
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
});

const event = {
  eventId: 'e1',
  command: 'Group.CallbackAfterGroupFull',
  kind: 'unregistered',
  sdkAppId: '1400000000',
  receivedAt: 1,
  payload: '{}',
  valid: true,
  expiresAt: 2,
} as StoredEvent;

describe('what local mode writes itself', () => {
  test('the spool: its folder 0700 and its file 0600', async () => {
    const dir = join(folder(), dataDirLayout.spool);
    const spool = new EventSpool(dir);
    await spool.keep(event);
    expect(modeOf(dir)).toBe('700');
    expect(readdirSync(dir).map((name) => [name, modeOf(join(dir, name))])).toEqual([['current.jsonl', '600']]);
  });

  test('the change log: its folder 0700, its segment and its offsets 0600', async () => {
    const dir = join(folder(), dataDirLayout.stream);
    const log = new ChangeLog(dir);
    const offset = log.offset('view');
    await log.append(event);
    await log.append({ ...event, eventId: 'e2' });
    offset.commit(log.end());
    await offset.flush();
    await log.close();
    expect(modeOf(dir)).toBe('700');
    expect(
      readdirSync(dir)
        .sort()
        .map((name) => [name, modeOf(join(dir, name))]),
    ).toEqual([
      ['0000000000000001.jsonl', '600'],
      ['view.offset', '600'],
    ]);
  });
});

describe('secureDataDir', () => {
  test('creates DATA_DIR 0700, its parents as mkdir -p would', () => {
    const dataDir = join(folder(), 'deeper', 'data');
    secureDataDir(dataDir);
    expect(modeOf(dataDir)).toBe('700');
  });

  test('restricts what an earlier run left (0755/0644) to its owner, and follows no link', () => {
    const dataDir = folder();
    mkdirSync(join(dataDir, dataDirLayout.store, 'nested'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, dataDirLayout.store, '000005.ldb'), 'x', { mode: 0o644 });
    writeFileSync(join(dataDir, dataDirLayout.endpointFile), '{}', { mode: 0o644 });
    const elsewhere = join(root, `elsewhere-${made}`);
    writeFileSync(elsewhere, 'not ours', { mode: 0o644 });
    symlinkSync(elsewhere, join(dataDir, dataDirLayout.store, 'link'));
    chmodSync(dataDir, 0o755);
    secureDataDir(dataDir);
    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(join(dataDir, dataDirLayout.store))).toBe('700');
    expect(modeOf(join(dataDir, dataDirLayout.store, 'nested'))).toBe('700');
    expect(modeOf(join(dataDir, dataDirLayout.store, '000005.ldb'))).toBe('600');
    expect(modeOf(join(dataDir, dataDirLayout.endpointFile))).toBe('600');
    expect(modeOf(elsewhere)).toBe('644');
  });

  test('takes permissions away and never gives any: a read-only DATA_DIR stays read-only', () => {
    const dataDir = folder();
    mkdirSync(dataDir, { mode: 0o555 });
    chmodSync(dataDir, 0o555);
    secureDataDir(dataDir);
    expect(modeOf(dataDir)).toBe('500');
  });

  test("a DATA_DIR that holds other things keeps its mode and theirs; what is local mode's is made private", () => {
    const dataDir = folder();
    mkdirSync(join(dataDir, dataDirLayout.spool), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine', { mode: 0o644 });
    secureDataDir(dataDir);
    expect(modeOf(dataDir)).toBe('755');
    expect(modeOf(join(dataDir, 'notes.txt'))).toBe('644');
    expect(modeOf(join(dataDir, dataDirLayout.spool))).toBe('700');
  });
});
