/**
 * `npm run tencent` end to end, in a child process as a user runs it: credentials from a secret in
 * moto's Secrets Manager (reached through AWS_ENDPOINT_URL_SECRETS_MANAGER) or from the environment,
 * calls into the stand-in of Tencent's REST API (--base-url).
 */
import { execFile } from 'node:child_process';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { callCallbackCommands, liveCallbackCommands } from '../../../functions/tencent/product-commands.ts';
import { type MotoServer, motoCredentials, motoRegion, startMotoServer } from '../../support/moto-server.ts';
import { projectRoot } from '../../support/processes.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../../support/tencent-rest-stand-in.ts';

const app = { sdkAppId: '1400000001', identifier: 'administrator', secretKey: 'cli-test-key-0123456789abcdef' };
const url = 'https://receiver.example.com/callback';

let moto: MotoServer;
let standIn: TencentRestStandIn;
let secretArn: string;
beforeAll(async () => {
  [moto, standIn] = await Promise.all([startMotoServer(), startTencentRestStandIn(app)]);
  const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: motoRegion, credentials: motoCredentials });
  secretArn = (await secrets.send(new CreateSecretCommand({ Name: 'tencent/im-admin', SecretString: JSON.stringify(app) }))).ARN!;
  await secrets.send(new CreateSecretCommand({ Name: 'tencent/wrong-key', SecretString: JSON.stringify({ ...app, secretKey: 'not-the-app-key' }) }));
  secrets.destroy();
}, 60_000);
afterAll(async () => {
  await Promise.all([moto?.close(), standIn?.close()]);
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run --silent tencent -- …args` from the project root; never rejects. */
function tencent(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'tencent', '--', ...args],
      {
        cwd: projectRoot,
        env: { ...process.env, IM_ADMIN_IDENTIFIER: '', IM_SECRET_KEY: '', IM_SDKAPPIDS: '', DEBUG: '', ...moto.environment('SECRETS_MANAGER'), ...env },
      },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
}

const withSecret = (secret = 'tencent/im-admin') => ['--secret', secret, '--base-url', standIn.baseUrl];
/** test.each's table is built before beforeAll starts the stand-in: its URL is put in when the test runs. */
const STAND_IN = '<stand-in>';
const laterWithSecret = (secret = 'tencent/im-admin') => ['--secret', secret, '--base-url', STAND_IN];

describe('npm run tencent', () => {
  test('--help prints the usage on stdout', async () => {
    const run = await tencent(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npx tencent-im tencent set-callback --product live|call --url URL');
    expect(run.stderr).toBe('');
  });

  test('set-callback --product live: all Live commands by default, created then updated; stdout is the configuration alone', async () => {
    const created = await tencent(['set-callback', '--product', 'live', '--url', url, ...withSecret()]);
    expect(created.stderr).toBe(`Created the live callback configuration of SDKAppID 1400000001: ${liveCallbackCommands.length} commands to ${url}\n`);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ Url: url, CallbackCommandList: [...liveCallbackCommands] });

    const commands = 'Live.CallbackAfterCreateRoom,Live.CallbackAfterDestroyRoom';
    const updated = await tencent(['set-callback', '--product', 'live', '--url', url, '--commands', commands, ...withSecret(secretArn)]);
    expect(updated.stderr).toContain('Updated the live callback configuration of SDKAppID 1400000001: 2 commands');
    expect(JSON.parse(updated.stdout)).toEqual({ Url: url, CallbackCommandList: commands.split(',') });
    expect(standIn.callbacks.get('live')).toEqual({ Url: url, CallbackCommandList: commands.split(',') });

    const shown = await tencent(['get-callback', '--product', 'live', ...withSecret()]);
    expect([shown.code, shown.stderr, JSON.parse(shown.stdout)]).toEqual([0, '', { Url: url, CallbackCommandList: commands.split(',') }]);
  });

  test('get-callback --product call with none set prints null; set-callback then sets it', async () => {
    const none = await tencent(['get-callback', '--product', 'call', ...withSecret()]);
    expect([none.code, none.stdout.trim(), none.stderr.trim()]).toEqual([0, 'null', 'No call callback configuration is set for SDKAppID 1400000001']);

    const set = await tencent(['set-callback', '--product', 'call', '--url', url, '--commands', 'all', ...withSecret()]);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain('Set the call callback configuration');
    expect(JSON.parse(set.stdout)).toEqual({ Url: url, CallbackCommandList: [...callCallbackCommands] });
  });

  test('local use: credentials from IM_ADMIN_IDENTIFIER and IM_SECRET_KEY, the SDKAppID from --app or IM_SDKAPPIDS', async () => {
    const local = { IM_ADMIN_IDENTIFIER: app.identifier, IM_SECRET_KEY: app.secretKey };
    const byApp = await tencent(['get-callback', '--product', 'live', '--app', app.sdkAppId, '--base-url', standIn.baseUrl], local);
    expect(byApp.code).toBe(0);
    const bySetting = await tencent(['get-callback', '--product', 'live', '--base-url', standIn.baseUrl], { ...local, IM_SDKAPPIDS: app.sdkAppId });
    expect(bySetting.stdout).toBe(byApp.stdout);

    const wrong = await tencent(['get-callback', '--product', 'live', '--app', app.sdkAppId, '--base-url', standIn.baseUrl], {
      ...local,
      IM_SECRET_KEY: 'wrong-key-here',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^Tencent's REST API refused the admin credentials \(ErrorCode 70009: [^\n]*\) on v4\/live_config\/get_callback: check IM_SECRET_KEY\n$/,
    );
    expect(wrong.stderr).not.toContain('wrong-key-here');
  });

  describe('failures are one line on stderr, nothing on stdout, exit 1', () => {
    test.each([
      [
        'a wrong key in the secret',
        laterWithSecret('tencent/wrong-key'),
        /^Tencent's REST API refused the admin credentials \(ErrorCode 70009: .*\) on v4\/live_config\/get_callback: check secretKey in Secrets Manager secret tencent\/wrong-key$/,
      ],
      [
        'a secret that does not exist',
        laterWithSecret('tencent/missing'),
        /^Could not read the Secrets Manager secret tencent\/missing: ResourceNotFoundException: /,
      ],
      [
        'no credentials at all',
        ['--app', app.sdkAppId, '--base-url', STAND_IN],
        /^No Tencent admin credentials: give --secret .* set IM_ADMIN_IDENTIFIER and IM_SECRET_KEY$/,
      ],
      [
        "--app that is not the secret's",
        ['--app', '1400000009', ...laterWithSecret()],
        /^--app 1400000009 is not the SDKAppID in the Secrets Manager secret tencent\/im-admin \(1400000001\)$/,
      ],
    ])('%s', async (_, args, line) => {
      const run = await tencent(['get-callback', '--product', 'live', ...args.map((arg) => (arg === STAND_IN ? standIn.baseUrl : arg))]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr.trimEnd()).toMatch(line);
      expect(run.stderr).not.toContain('not-the-app-key');
    });

    test('a REST API that keeps rate-limiting: retries told on stderr, then the rate-limited line', async () => {
      standIn.failNext('live_config/get_callback', { errorCode: 60007 }, 4);
      const run = await tencent(['get-callback', '--product', 'live', ...withSecret()]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines.slice(0, 3).every((line) => line.includes('ErrorCode 60007') && /trying again in \d+ ms$/.test(line))).toBe(true);
      expect(lines[3]).toBe(
        "Tencent's REST API rate-limited v4/live_config/get_callback after 4 attempts (ErrorCode 60007: REST call frequency over the limit)",
      );
    });
  });

  test('bad options: what is wrong, then the usage, exit 2', async () => {
    const noUrl = await tencent(['set-callback', '--product', 'live', ...withSecret()]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/^set-callback needs --url, where Tencent sends the callbacks\n\nUsage: /);
    const badProduct = await tencent(['get-callback', '--product', 'room', ...withSecret()]);
    expect(badProduct.stderr).toMatch(/^--product must be live or call\n/);
    const badCommands = await tencent(['set-callback', '--product', 'live', '--url', url, '--commands', 'Live.CallbackAfterCreateRoom;x', ...withSecret()]);
    expect(badCommands.stderr).toMatch(/^--commands must be all, or commands separated by commas/);
    expect(standIn.requests.filter((request) => request.api === 'live_config/set_callback' && (request.body as { Url?: string }).Url !== url)).toEqual([]);
  });
});
