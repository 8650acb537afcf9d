/**
 * `npx tencent-im trigger`, `replay`, `events --follow` and `events --export`, each a child process
 * talking to a real `npm start` (another child process) over HTTP, as two terminals would; and the
 * banner's signed curl pasted into a shell.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { callbackErrors } from '../../functions/callback/callback-error.ts';
import { projectRoot, type Started, startScript } from '../support/processes.ts';

const TOKEN = 'cli-commands-token';
const dataDir = mkdtempSync(join(tmpdir(), 'cli-commands-'));
const policy = { rules: [{ command: 'Group.CallbackBeforeCreateGroup', field: 'Name', in: ['Forbidden'], refuse: { code: 10101, info: 'name not allowed' } }] };
const env = {
  PORT: '0',
  DYNAMODB_PORT: '0',
  DATA_DIR: dataDir,
  IM_SDKAPPIDS: '1400000123',
  IM_CALLBACK_TOKEN: TOKEN,
  IM_POLICY: JSON.stringify(policy),
  DEBUG: '',
};
const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npx tencent-im …args` in another terminal: the same DATA_DIR, the token exported (unless overridden). */
function cli(args: string[], overrides: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(projectRoot, 'bin/tencent-im.js'), ...args],
      { cwd: projectRoot, env: { ...process.env, ...env, ...overrides } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);

let server: Started;
beforeAll(async () => {
  server = await startScript('local/start.ts', env, 'Ctrl-C stops it.');
}, 60_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx tencent-im trigger', () => {
  test("sends the definition's example, happening now and changed by --set, signed; prints the answer", async () => {
    const before = Date.now();
    const sent = await cli(['trigger', 'Group.CallbackAfterCreateGroup', '--set', 'GroupId=@TGS#trigger', '--set', 'Name=Triggered']);
    const after = Date.now();
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual(OK);
    expect(sent.stderr).toMatch(/^Group\.CallbackAfterCreateGroup → http:\/\/127\.0\.0\.1:\d+\/callback: HTTP 200$/m);
    const [event, ...others] = jsonLines((await cli(['events', '--json', '--group', '@TGS#trigger', '--since', '10m'])).stdout);
    expect(others).toEqual([]);
    expect(event).toMatchObject({ command: 'Group.CallbackAfterCreateGroup', valid: true, payload: { Name: 'Triggered', GroupId: '@TGS#trigger' } });
    expect(event!.eventTime).toBeGreaterThanOrEqual(before);
    expect(event!.eventTime).toBeLessThanOrEqual(after);
  });

  test('a command counting EventTime in seconds, in a batch: every item now, in seconds', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const sent = await cli(['trigger', 'Push.OfflinePush', '--set', 'Events.0.MsgKey=trigger-push']);
    expect(sent.code).toBe(0);
    const events = jsonLines((await cli(['events', '--json', '--command', 'Push.OfflinePush', '--since', '10m'])).stdout);
    const item = events.find((event) => event.payload.MsgKey === 'trigger-push');
    expect(item?.eventTime).toBeGreaterThanOrEqual(before);
    expect(item?.payload.EventTime).toBe(item?.eventTime / 1000);
  });

  test('a before-callback: prints what the policy answered', async () => {
    const sent = await cli(['trigger', 'Group.CallbackBeforeCreateGroup', '--set', 'Name=Forbidden']);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ErrorCode: 10101, ErrorInfo: 'name not allowed' });
  });

  test('a shell without the token: says to export it, sends nothing', async () => {
    const sent = await cli(['trigger', 'Group.CallbackAfterCreateGroup'], { IM_CALLBACK_TOKEN: '' });
    expect({ code: sent.code, stdout: sent.stdout }).toEqual({ code: 1, stdout: '' });
    expect(sent.stderr.trim()).toMatch(/^The npm start at http:\/\/127\.0\.0\.1:\d+\/callback checks Sign: export IM_CALLBACK_TOKEN here too/);
  });

  test('another token: the refusal on stdout, what it means on stderr, exit 1', async () => {
    const sent = await cli(['trigger', 'Group.CallbackAfterCreateGroup'], { IM_CALLBACK_TOKEN: 'not-the-token' });
    expect(sent.code).toBe(1);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: callbackErrors['invalid-sign'].errorCode });
    expect(sent.stderr).toMatch(/IM_CALLBACK_TOKEN here is not the token the receiver checks/);
  });

  test('a mistyped command: the one meant, exit 2', async () => {
    const sent = await cli(['trigger', 'group.callbackaftercreatgroup']);
    expect(sent.code).toBe(2);
    expect(sent.stderr).toMatch(/^"group\.callbackaftercreatgroup" is not a command of the registry; did you mean Group\.CallbackAfterCreateGroup\?/);
  });
});

describe('npx tencent-im replay', () => {
  test('sends a stored event again by the start of its id, re-signed: the table keeps it once', async () => {
    expect((await cli(['trigger', 'Group.CallbackAfterCreateGroup', '--set', 'GroupId=@TGS#replay'])).code).toBe(0);
    const [stored] = jsonLines((await cli(['events', '--json', '--group', '@TGS#replay'])).stdout);
    const replayed = await cli(['replay', stored!.eventId.slice(0, 8)]);
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toEqual(OK);
    expect(replayed.stderr).toContain(`Group.CallbackAfterCreateGroup ${stored!.eventId} → `);
    // npm start's record of it: the same event, a duplicate.
    expect(server.output()).toMatch(new RegExp(`duplicate.*${stored!.eventId.slice(0, 12)}|${stored!.eventId.slice(0, 12)}.*duplicate`));
    expect(jsonLines((await cli(['events', '--json', '--group', '@TGS#replay'])).stdout)).toHaveLength(1);
  });

  test('an id nothing has: says so, exit 1', async () => {
    const replayed = await cli(['replay', 'ffffffff00']);
    expect(replayed.code).toBe(1);
    expect(replayed.stderr).toMatch(/^No stored event ffffffff00 in the local store at /);
  });
});

describe('npx tencent-im events --follow', () => {
  test('prints each new event that passes the filters as npm start stores it, and only those', async () => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin/tencent-im.js'), 'events', '--follow', '--json', '--group', '@TGS#follow'], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const until = (holds: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => holds() && resolve();
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        child.on('exit', () => reject(new Error(`--follow ended:\n${stderr}`)));
        check();
      });
    try {
      await until(() => stderr.includes('Following the events npm start at'));
      // Another group first: had it passed the filter, it would be printed before the one awaited.
      expect((await cli(['trigger', 'Group.CallbackAfterCreateGroup', '--set', 'GroupId=@TGS#elsewhere'])).code).toBe(0);
      expect((await cli(['trigger', 'Group.CallbackAfterCreateGroup', '--set', 'GroupId=@TGS#follow', '--set', 'Name=Followed'])).code).toBe(0);
      await until(() => stdout.includes('\n'));
      const printed = jsonLines(stdout);
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatchObject({ command: 'Group.CallbackAfterCreateGroup', groupId: '@TGS#follow', payload: { Name: 'Followed' } });
    } finally {
      child.kill('SIGINT');
    }
  });
});

describe('npx tencent-im events --export', () => {
  beforeAll(async () => {
    for (const name of ['first', 'second']) {
      expect((await cli(['trigger', 'Group.CallbackAfterCreateGroup', '--set', 'GroupId=@TGS#export', '--set', `Name=${name}`])).code).toBe(0);
    }
  });

  test('jsonl: every matching event, one JSON object per line', async () => {
    const exported = await cli(['events', '--export', 'jsonl', '--group', '@TGS#export']);
    expect(exported.code).toBe(0);
    expect(
      jsonLines(exported.stdout)
        .map((event) => event.payload.Name)
        .sort(),
    ).toEqual(['first', 'second']);
  });

  test('har: one HTTP Archive document, each event a POST of its body to the callback URL with Tencent’s query', async () => {
    const exported = await cli(['events', '--export', 'har', '--group', '@TGS#export']);
    expect(exported.code).toBe(0);
    const { log } = JSON.parse(exported.stdout);
    expect(log.version).toBe('1.2');
    expect(log.entries).toHaveLength(2);
    for (const entry of log.entries) {
      expect(entry.request.method).toBe('POST');
      expect(entry.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?SdkAppid=1400000123&CallbackCommand=Group\.CallbackAfterCreateGroup&/);
      expect(entry.request.queryString).toContainEqual({ name: 'CallbackCommand', value: 'Group.CallbackAfterCreateGroup' });
      expect(JSON.parse(entry.request.postData.text)).toMatchObject({ GroupId: '@TGS#export' });
      expect(Date.parse(entry.startedDateTime)).toBeGreaterThan(0);
    }
  });
});

describe("the banner's curl", () => {
  const curlOf = (banner: string) => /^ {2}(T=\$\(date \+%s\);.*curl .*)$/m.exec(banner)![1]!;
  const sh = (line: string, overrides: NodeJS.ProcessEnv) =>
    new Promise<Run>((resolve) =>
      execFile('sh', ['-c', line], { env: { ...process.env, ...overrides } }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
      ),
    );

  test('pasted where IM_CALLBACK_TOKEN is exported: signed, stored, its EventTime now', async () => {
    const before = Date.now();
    const pasted = await sh(curlOf(server.output()), { IM_CALLBACK_TOKEN: TOKEN });
    expect(JSON.parse(pasted.stdout)).toEqual(OK);
    const events = jsonLines(
      (await cli(['events', '--json', '--command', 'Group.CallbackAfterCreateGroup', '--group', '@TGS#2J4SZEAEL', '--since', '10m'])).stdout,
    );
    // The shell's clock, to the second.
    expect(events.some((event) => event.eventTime >= Math.floor(before / 1000) * 1000)).toBe(true);
  });

  test('pasted where it is not: the shell says to export it, and nothing is sent', async () => {
    const pasted = await sh(curlOf(server.output()), { IM_CALLBACK_TOKEN: '' });
    expect(pasted.code).not.toBe(0);
    expect(pasted.stdout).toBe('');
    expect(pasted.stderr).toMatch(/IM_CALLBACK_TOKEN: export IM_CALLBACK_TOKEN first, the token npm start was given/);
  });
});
