/**
 * The `tencent-im` bin (bin/tencent-im.js) under the machine's own Node (20 here), as `npx` and npm
 * scripts start it: it runs the TypeScript commands on the project's Node 24, passes signals and exit
 * codes through, and on a project that was never installed says "run npm install first".
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { machineNode } from '../support/machine-node.ts';
import { projectRoot } from '../support/processes.ts';

const bin = join(projectRoot, 'bin/tencent-im.js');
const node = machineNode();
const scratch = mkdtempSync(join(tmpdir(), 'cli-launcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file` with `args` and the environment given on top of this one; never rejects. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = projectRoot): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, DEBUG: '', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  // Said, not required: on a machine whose own Node is 24 the launcher runs the commands in-process.
  process.stderr.write(`[cli-launcher] the machine's node: ${node}, ${(await run(node, ['--version'])).stdout.trim()}\n`);
});

describe('the tencent-im bin on the machine’s Node', () => {
  test('--help lists every command on stdout, exit 0', async () => {
    const { code, stdout, stderr } = await run(node, [bin, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npx tencent-im <command>/);
    expect(stdout).toMatch(/^ {2}events +List stored events/m);
    expect(stderr).toBe('');
  });

  test("each command's --help, on stdout", async () => {
    const { code, stdout } = await run(node, [bin, 'events', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npx tencent-im events /);
  });

  test('a command runs on Node 24: stdout holds its data alone, its messages go to stderr', async () => {
    const dataDir = join(scratch, 'empty');
    const { code, stdout, stderr } = await run(node, [bin, 'events', '--json'], { DATA_DIR: dataDir, IM_SDKAPPIDS: '1400000123' });
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toMatch(/^No events stored yet in the local store at /);
  });

  test('a mistyped command: one line naming the one meant, exit 2', async () => {
    const { code, stdout, stderr } = await run(node, [bin, 'evnts']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.trim()).toBe('"evnts" is not a tencent-im command; did you mean events? (npx tencent-im --help lists them)');
  });

  test('a signal sent to the launcher reaches npm start on Node 24, which stops cleanly', async () => {
    const child = spawn(node, [bin, 'start'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: join(scratch, 'start'), IM_SDKAPPIDS: '1400000123' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => output.includes('Ctrl-C stops it.') && resolve());
        void exited.then(() => reject(new Error(`npm start ended before it was up:\n${output}`)));
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/SIGTERM: finishing requests under way/);
      expect(output).toMatch(/Stopped\. Nothing acknowledged was lost\./);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('npm run', () => {
  test('npm run events -- --help: the usage on stdout, not "Unknown option \'--help\'"', async () => {
    const { code, stdout } = await run('npm', ['run', '--silent', 'events', '--', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npx tencent-im events /);
  });

  test('npm run events --group X (without --): npm keeps the option; the command says where the -- goes, exit 2', async () => {
    const { code, stderr } = await run('npm', ['run', '--silent', 'events', '--group', '@TGS#x'], {
      DATA_DIR: join(scratch, 'npm'),
      IM_SDKAPPIDS: '1400000123',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('npm kept --group for itself: npm run passes options to the command only after --, as in npm run events -- --group …');
  });
});

describe('a project that was never installed', () => {
  /** A copy of the project without node_modules, as a fresh clone is. */
  let clone: string;
  beforeAll(() => {
    clone = join(scratch, 'clone');
    for (const part of ['bin', 'cli', 'local', 'functions', 'infra', 'package.json', 'cdk.json']) {
      cpSync(join(projectRoot, part), join(clone, part), { recursive: true });
    }
  });

  test('the machine’s Node: "run npm install first", one line, no stack trace', async () => {
    const { code, stderr } = await run(node, [join(clone, 'bin/tencent-im.js'), 'start']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^tencent-im: run npm install first \(in .*clone\): it installs the Node 24 this project runs on/);
  });

  test('a Node 24 without the dependencies: the same advice, naming what is missing', async () => {
    const { code, stderr } = await run(process.execPath, [join(clone, 'bin/tencent-im.js'), 'start']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^tencent-im: run npm install first \(in .*clone\): \S+ is not installed\.$/m);
  });

  test('npm start, as a new user types it: the same line from npm', async () => {
    // npm's own Node (this machine's) and PATH without the project's node_modules/.bin.
    const path = (process.env.PATH ?? '')
      .split(':')
      .filter((dir) => !dir.includes('node_modules'))
      .join(':');
    const { code, stdout, stderr } = await run('npm', ['start', '--silent'], { PATH: `${dirname(node)}:${path}` }, clone);
    expect(code).not.toBe(0);
    expect(`${stdout}${stderr}`).toMatch(/tencent-im: run npm install first/);
    expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
  });
});
