import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { projectRoot, runScript, startScript } from '../support/processes.ts';

/**
 * npm start on a machine that is not ready for it: each failure is one or two lines naming the
 * setting and saying what to do, a non-zero exit, and no stack trace unless DEBUG is set.
 */
let root: string;
let occupied: Server;
let takenPort: number;
let silentEndpoint: Promise<{ code: number; stderr: string }>;
const connections = new Set<Socket>();
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'npm-start-failures-'));
  // Takes connections and never answers: a port in use, and an endpoint that stays silent.
  occupied = createServer((socket) => connections.add(socket.on('error', () => undefined)));
  await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
  takenPort = (occupied.address() as { port: number }).port;
  // Started here, checked by its test: its 10 s of silence then passes while the other tests run.
  silentEndpoint = run({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${takenPort}`, DATA_DIR: folder('silent') });
});
afterAll(async () => {
  for (const socket of connections) socket.destroy();
  await new Promise((resolve) => occupied.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const folder = (name: string) => join(root, name);
const env = (overrides: Record<string, string>) => ({
  PORT: '0',
  DYNAMODB_PORT: '0',
  DATA_DIR: folder('data'),
  IM_SDKAPPIDS: '1400000123',
  DEBUG: '',
  ...overrides,
});

/** How npm start ended: its exit code and what it printed on stderr. */
const run = (overrides: Record<string, string>): Promise<{ code: number; stderr: string }> =>
  runScript('local/start.ts', [], env(overrides)).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );

/** What npm start printed on stderr, after checking that it failed the way a user's mistake should. */
function failed(outcome: { code: number; stderr: string }): string {
  expect(outcome.code).toBe(1);
  const lines = outcome.stderr.trim().split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
  return outcome.stderr;
}

const failure = async (overrides: Record<string, string>): Promise<string> => failed(await run(overrides));

describe('npm start fails in one or two lines', () => {
  test('PORT taken: names PORT and the port, says to pick another', async () => {
    const stderr = await failure({ PORT: String(takenPort), DATA_DIR: folder('port') });
    expect(stderr).toMatch(new RegExp(`^PORT=${takenPort}: port ${takenPort} on 127\\.0\\.0\\.1 is already in use`));
    expect(stderr).toMatch(/set PORT to a free port \(0 picks one\)/);
  });

  test('DYNAMODB_PORT taken: names DYNAMODB_PORT', async () => {
    const stderr = await failure({ DYNAMODB_PORT: String(takenPort), DATA_DIR: folder('dynamodb-port') });
    expect(stderr).toMatch(new RegExp(`^DYNAMODB_PORT=${takenPort}: port ${takenPort} on 127\\.0\\.0\\.1 is already in use`));
  });

  test('DATA_DIR a file: names DATA_DIR and says it must be a folder', async () => {
    writeFileSync(folder('a-file'), 'not a folder');
    expect(await failure({ DATA_DIR: folder('a-file') })).toMatch(/^DATA_DIR=.*a-file: .*a-file is a file, not a folder\.\nSet DATA_DIR to a folder/);
    expect(await failure({ DATA_DIR: join(folder('a-file'), 'below') })).toMatch(/^DATA_DIR=.*below: a folder above .* is a file/);
  });

  test('DATA_DIR whose store is a file (once an uncaught "Database is closed")', async () => {
    mkdirSync(folder('broken'));
    writeFileSync(join(folder('broken'), 'dynalite'), 'not a database');
    expect(await failure({ DATA_DIR: folder('broken') })).toMatch(/^DATA_DIR=.*broken: .*dynalite is a file, not a folder/);
  });

  test('DATA_DIR not writable: names DATA_DIR and says so', async () => {
    mkdirSync(folder('read-only'), { mode: 0o555 });
    // Root may write anywhere: then npm start runs as `nobody`, for whom the folder is read-only.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(root, 0o755);
    const outcome = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(projectRoot, 'local/start.ts')],
        {
          cwd: projectRoot,
          env: { ...process.env, ...env({ DATA_DIR: folder('read-only') }) },
          ...(asRoot ? { uid: 65_534, gid: 65_534 } : {}),
        },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^DATA_DIR=.*read-only: .* is not writable \(EACCES\)\.\nSet DATA_DIR to a folder you can write to/);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
  });

  test('DATA_DIR in use by another npm start: says so instead of a LevelDB lock error', async () => {
    const first = await startScript('local/start.ts', env({ DATA_DIR: folder('shared') }), 'Ctrl-C stops it.');
    try {
      expect(await failure({ DATA_DIR: folder('shared') })).toMatch(/^DATA_DIR=.*shared: its store is open in another process/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });

  test('DYNAMODB_ENDPOINT where nothing listens: names it, and says how to go without', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const stderr = await failure({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(stderr).toMatch(/^DYNAMODB_ENDPOINT=http:\/\/127\.0\.0\.1:\d+: no DynamoDB API answers there \(ECONNREFUSED\)\.\n.*unset DYNAMODB_ENDPOINT/);
  });

  test('DYNAMODB_ENDPOINT that takes the connection and never answers: the same, after 10 s', async () => {
    const stderr = failed(await silentEndpoint);
    expect(stderr).toMatch(/^DYNAMODB_ENDPOINT=http:\/\/127\.0\.0\.1:\d+: no answer from there in 10 s\.\n.*unset DYNAMODB_ENDPOINT/);
  }, 60_000);

  test('a mistyped setting name (IM_SDKAPPID for IM_SDKAPPIDS): names the one meant, instead of starting with the example id', async () => {
    const stderr = await failure({ IM_SDKAPPIDS: '', IM_SDKAPPID: '1400000123', DATA_DIR: folder('typo') });
    expect(stderr.trim()).toBe('Unknown settings:\n  - IM_SDKAPPID (environment variable): not a setting; did you mean IM_SDKAPPIDS?');
  });

  test('a DATA_DIR no folder can be made in (/proc): says so at once, instead of spinning', async () => {
    const stderr = await failure({ DATA_DIR: '/proc/tencent-im-nope' });
    expect(stderr).toMatch(/^DATA_DIR=\/proc\/tencent-im-nope: cannot create \/proc\/tencent-im-nope \(ENOENT\)/);
  });

  test('with DEBUG set, the stack trace is there too', async () => {
    const outcome = await runScript('local/start.ts', [], env({ PORT: String(takenPort), DATA_DIR: folder('debug'), DEBUG: '1' })).catch(
      (error: { stderr: string }) => error,
    );
    expect(outcome.stderr).toMatch(/^UsageError: PORT=/);
    expect(outcome.stderr).toMatch(/^\s+at /m);
  });
});
