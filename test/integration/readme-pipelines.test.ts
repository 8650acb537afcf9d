/**
 * The README's quick start, run as printed: each line of its "Try it locally" block that talks to
 * the receiver (npx tencent-im …, curl …, pipelines into jq) goes to `sh -c` from the project root
 * against a real npm start, with npm's own npx (the machine's Node) and jq. Only the port differs:
 * the README's 3000 becomes the one this npm start was given (PORT=0), since 3000 may be taken here.
 * jq must be installed (.ci/run installs it when missing): a pipeline skipped proves nothing.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { projectRoot, type Started, startScript } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'readme-pipelines-'));
const env = { PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, IM_SDKAPPIDS: '1400000000', IM_CALLBACK_TOKEN: '', DEBUG: '' };

/** The shell lines of the README's quick-start block that talk to the receiver, continuation lines joined. */
function quickStartLines(): string[] {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, text]) => text!).find((text) => text.includes('npx tencent-im trigger'));
  if (block === undefined) throw new Error('README.md has no sh block with npx tencent-im trigger');
  return block
    .replaceAll('\\\n', '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(npx tencent-im|curl) /.test(line));
}

let server: Started;
let lines: string[];
/** The quick start's first two lines, run once for every test: what they answered. */
const sent = {} as Record<'trigger' | 'curl', { code: number; stdout: string }>;
beforeAll(async () => {
  execFileSync('jq', ['--version']);
  lines = quickStartLines();
  server = await startScript('local/start.ts', env, 'Ctrl-C stops it.');
  sent.trigger = await sh(line('npx tencent-im trigger '));
  sent.curl = await sh(line('curl '));
}, 90_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The README's line with this npm start's port. */
const asHere = (line: string) => line.replaceAll('127.0.0.1:3000', new URL(/Callback URL\s+(\S+)/.exec(server.output())![1]!).host);

function sh(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile('sh', ['-c', asHere(line)], { cwd: projectRoot, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    ),
  );
}

const line = (start: string) => {
  const found = lines.find((candidate) => candidate.startsWith(start));
  if (found === undefined) throw new Error(`the README's quick start has no line starting ${JSON.stringify(start)}:\n${lines.join('\n')}`);
  return found;
};

describe("the README's quick start, as printed", () => {
  test('every line of it is one of those run below', () => {
    const covered = [
      'npx tencent-im trigger ',
      'curl ',
      'npx tencent-im events --since 5m --json |',
      'npx tencent-im events --since 5m',
      'npx tencent-im events --follow',
      'npx tencent-im state ',
    ];
    expect(lines.filter((candidate) => !covered.some((start) => candidate.startsWith(start)))).toEqual([]);
  });

  test('trigger and the curl are both answered OK', () => {
    expect({ code: sent.trigger.code, answer: JSON.parse(sent.trigger.stdout) }).toEqual({
      code: 0,
      answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' },
    });
    expect({ code: sent.curl.code, answer: JSON.parse(sent.curl.stdout) }).toEqual({ code: 0, answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } });
  });

  test('the listing since 5 minutes shows both, the curl’s too (its EventTime is now, not 2022)', async () => {
    const listed = await sh(line('npx tencent-im events --since 5m'));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^TIME \(UTC\) +COMMAND/);
    expect(listed.stdout.match(/Group\.CallbackAfterCreateGroup/g)?.length).toBeGreaterThanOrEqual(2);
  });

  test('the pipeline into jq gets JSON alone on stdout (no npm header): one group id per event', async () => {
    const piped = await sh(line('npx tencent-im events --since 5m --json |'));
    expect(piped.code).toBe(0);
    const ids = piped.stdout.trim().split('\n');
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids)).toEqual(new Set(['@TGS#2J4SZEAEL']));
  });

  test('--follow prints the next event as it is stored, until Ctrl-C', async () => {
    // A process group of its own, as a terminal's foreground job is: Ctrl-C reaches every process in it
    // (npx, the shell it starts, the command), not npx alone.
    const child = spawn('sh', ['-c', asHere(line('npx tencent-im events --follow'))], { cwd: projectRoot, env: { ...process.env, ...env }, detached: true });
    const ctrl = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Gone already.
      }
    };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => stderr.includes('Following the events') && resolve();
        child.stderr.on('data', check);
        void exited.then(() => reject(new Error(`--follow ended:\n${stderr}`)));
      });
      expect((await sh(line('npx tencent-im trigger '))).code).toBe(0);
      await new Promise<void>((resolve) => {
        const check = () => stdout.includes('Group.CallbackAfterCreateGroup') && resolve();
        child.stdout.on('data', check);
        check();
      });
      expect(stdout).toMatch(/^TIME \(UTC\) +COMMAND.*\n.*Group\.CallbackAfterCreateGroup +@TGS#2J4SZEAEL/);
      // Ctrl-C ends it (the shell in front reports the signal, as a terminal's would).
      ctrl('SIGINT');
      expect([
        { code: 0, signal: null },
        { code: null, signal: 'SIGINT' },
      ]).toContainEqual(await exited);
    } finally {
      ctrl('SIGKILL');
    }
  });

  test('the state of the group', async () => {
    const shown = await sh(line('npx tencent-im state '));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('@TGS#2J4SZEAEL');
  });
});
