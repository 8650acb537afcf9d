/**
 * Issue 17: `npm start` keeps DATA_DIR its owner's only: the folder 0700, every file in it 0600
 * (dynalite's LevelDB, the change log, embedded-store.json), under the usual umask (022) and
 * with data an earlier run left world-readable.
 */

import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { dataDirLayout } from '../../local/data-dir.ts';
import { deliver, isAcknowledged } from '../support/event-stream.ts';
import { startForwardTarget } from '../support/forward-target.ts';
import { startScript } from '../support/processes.ts';

const SDK_APP_ID = '1400000123';
const COMMAND = 'Group.CallbackAfterGroupInfoChanged';
const root = mkdtempSync(join(tmpdir(), 'npm-start-data-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every path under `dir` with its permission bits, as `ls -lR` would show them. */
function modes(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (path: string) => {
    const stat = lstatSync(path);
    found[relative(root, path) || '.'] = `${stat.isDirectory() ? 'd' : '-'}${(stat.mode & 0o777).toString(8)}`;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

/** npm start on `dataDir`, started under umask 022 (the child takes this process's), given callbacks to store and forward. */
async function runOn(dataDir: string): Promise<{ whileRunning: Record<string, string>; afterStop: Record<string, string> }> {
  const target = await startForwardTarget();
  // Refused, so the change log keeps what it has to forward.
  target.answer = () => 503;
  const umask = process.umask(0o022);
  try {
    const env = {
      PORT: '0',
      DYNAMODB_PORT: '0',
      DATA_DIR: dataDir,
      IM_SDKAPPIDS: SDK_APP_ID,
      IM_FORWARD_URL: target.url,
      DYNAMODB_ENDPOINT: '',
      IM_CALLBACK_TOKEN: '',
    };
    const server = await startScript('local/start.ts', env, 'Ctrl-C stops it.');
    const url = /Callback URL\s+(\S+)/.exec(server.output())![1]!;
    for (let n = 0; n < 5; n++) {
      const body = JSON.stringify({ CallbackCommand: COMMAND, GroupId: '@TGS#private', Name: `name ${n}`, EventTime: 1_670_574_414_000 + n });
      expect(isAcknowledged(await deliver(url, SDK_APP_ID, COMMAND, body))).toBe(true);
    }
    const whileRunning = modes(dataDir);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    return { whileRunning, afterStop: modes(dataDir) };
  } finally {
    process.umask(umask);
    await target.down();
  }
}

const privateOnly = (found: Record<string, string>) => Object.entries(found).filter(([, mode]) => mode !== 'd700' && mode !== '-600');

describe('npm start keeps DATA_DIR private', () => {
  test('a new DATA_DIR: the folder and every folder in it 0700, every file 0600', async () => {
    const dataDir = join(root, 'new');
    const { whileRunning, afterStop } = await runOn(dataDir);
    expect(Object.keys(whileRunning)).toEqual(
      expect.arrayContaining([
        'new',
        join('new', dataDirLayout.store, 'CURRENT'),
        join('new', dataDirLayout.stream, '0000000000000001.jsonl'),
        join('new', dataDirLayout.endpointFile),
        join('new', dataDirLayout.spool),
      ]),
    );
    expect(privateOnly(whileRunning)).toEqual([]);
    expect(privateOnly(afterStop)).toEqual([]);
  });

  test('data an earlier run left world-readable (0755/0644) is made private on start', async () => {
    const dataDir = join(root, 'earlier');
    mkdirSync(join(dataDir, dataDirLayout.stream), { recursive: true });
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, dataDirLayout.stream), 0o755);
    writeFileSync(join(dataDir, dataDirLayout.stream, 'forward.offset'), '0', { mode: 0o644 });
    writeFileSync(join(dataDir, dataDirLayout.endpointFile), '{"endpoint":"http://127.0.0.1:1","pid":1}', { mode: 0o644 });
    const { whileRunning, afterStop } = await runOn(dataDir);
    expect(whileRunning[join('earlier', dataDirLayout.stream, 'forward.offset')]).toBe('-600');
    expect(privateOnly(whileRunning)).toEqual([]);
    expect(privateOnly(afterStop)).toEqual([]);
  });
});
