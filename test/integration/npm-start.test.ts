import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { callbackUrl } from '../../local/callback-url.ts';
import { type SeedCommand, seedCallbacks } from '../fixtures/seed-callbacks.ts';
import { runScript, startScript } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = { PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, IM_SDKAPPIDS: '1400000123' };
const startServer = () => startScript('local/start.ts', env, 'Ctrl-C stops it.');
const callbackUrlOf = (output: string) => /Callback URL\s+(\S+)/.exec(output)![1]!;

async function postSeed(receiverUrl: string, command: SeedCommand) {
  const url = callbackUrl(receiverUrl, { sdkAppId: '1400000123', command, optPlatform: 'Web' });
  const response = await fetch(url, { method: 'POST', body: Buffer.from(seedCallbacks[command]) });
  return response.json();
}

async function listEvents(...args: string[]) {
  const { stdout } = await runScript('cli/events.ts', ['--json', ...args], env);
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('npm start', () => {
  const afterEvents: SeedCommand[] = ['Group.CallbackAfterCreateGroup', 'Group.CallbackAfterCreateTopic', 'Group.CallbackAfterTopicInfoChanged'];

  /**
   * One run, in beforeAll so that every test reads what it needs from it and passes alone: start,
   * paste the banner's curl, post the seeds, list while running, Ctrl-C.
   */
  const run = {} as {
    banner: string;
    curlAnswer: unknown;
    seedAnswers: unknown[];
    whileRunning: Record<string, unknown>[];
    exitCode: number | null;
    finalOutput: string;
  };
  beforeAll(async () => {
    const server = await startServer();
    run.banner = server.output();
    const curl = /^\s*(curl .*)$/m.exec(run.banner)![1]!;
    run.curlAnswer = JSON.parse((await promisify(execFile)('sh', ['-c', curl])).stdout);
    run.seedAnswers = [];
    for (const command of Object.keys(seedCallbacks) as SeedCommand[]) run.seedAnswers.push(await postSeed(callbackUrlOf(run.banner), command));
    // Read while the server runs: the CLI shares its store.
    run.whileRunning = await listEvents();
    server.child.kill('SIGINT');
    run.exitCode = await server.exited;
    run.finalOutput = server.output();
  }, 60_000);

  test('prints the URL, the SDKAppID and a curl that works; stores the seeds; stops cleanly on Ctrl-C', () => {
    expect(run.banner).toMatch(/SDKAppID\s+1400000123/);
    expect(run.banner).toMatch(/DynamoDB API\s+http:\/\/127\.0\.0\.1:\d+/);
    // No IM_CALLBACK_TOKEN: said once, clearly.
    expect(run.banner.match(/WARNING: no callback token/g)).toHaveLength(1);
    expect(run.banner).toMatch(/Callback token\s+none/);
    expect(run.curlAnswer).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(run.seedAnswers).toEqual(Object.keys(seedCallbacks).map(() => ({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' })));
    expect(run.whileRunning.map((event) => event.command).sort()).toEqual([...afterEvents, 'Group.CallbackAfterCreateGroup'].sort());
    expect(run.exitCode).toBe(0);
    expect(run.finalOutput).toMatch(/Stopped/);
  });

  test('keeps the events on disk: the CLI reads them with the server stopped', async () => {
    const events = await listEvents('--group', '@TGS#2J4SZEAEL');
    // The banner's curl posted a group event too; the seeds are the events carrying a seed's body.
    const isSeed = (event: Record<string, unknown>) =>
      afterEvents.some((command) => JSON.stringify(event.payload) === JSON.stringify(JSON.parse(seedCallbacks[command])));
    const seeded = events.filter(isSeed);
    expect(seeded.map((event) => event.command).sort()).toEqual([...afterEvents].sort());
    for (const event of seeded) {
      expect(event).toMatchObject({ sdkAppId: '1400000123', groupId: '@TGS#2J4SZEAEL', optPlatform: 'Web' });
      expect(typeof event.eventId).toBe('string');
      expect(typeof event.receivedAt).toBe('number');
    }
  });

  test('starts again on the same data, and a resent seed is still stored once', async () => {
    const server = await startServer();
    expect(await postSeed(callbackUrlOf(server.output()), 'Group.CallbackAfterCreateTopic')).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await listEvents('--command', 'Group.CallbackAfterCreateTopic')).toHaveLength(1);
  });

  test('refuses to start on a wrong setting, naming it', async () => {
    const failure = runScript('local/start.ts', [], {
      ...env,
      IM_POLICY: '{"rules":[{"command":"Group.CallbackBeforeCreateTopic","field":"Name","in":["x"],"refuse":{"code":7}}]}',
    });
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/environment variable IM_POLICY at rules\.0\.refuse\.code: refuse\.code must be 1/),
    });
  });
});
