/**
 * `npx tencent-im reconcile` (cli/reconcile.ts) in a child process as a user runs it, against npm
 * start's synced view in DATA_DIR and the stand-in of Tencent's REST API: the report on stdout, the
 * view repaired, a dry run, and its failures in one line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import { openLocalStore } from '../../local/embedded-store.ts';
import { startLocalReceiver } from '../../local/local-server.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { runScript } from '../support/processes.ts';
import { post, SDK_APP_ID, testSettings } from '../support/receiver.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../support/tencent-rest-stand-in.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'reconcile-cli-'));
const app = { sdkAppId: SDK_APP_ID, identifier: 'administrator', secretKey: `key-${randomBytes(16).toString('hex')}` };
let standIn: TencentRestStandIn;
const env = () => ({ DATA_DIR: dataDir, IM_SDKAPPIDS: SDK_APP_ID, IM_ADMIN_IDENTIFIER: app.identifier, IM_SECRET_KEY: app.secretKey, DEBUG: '' });
const reconcileCli = (...args: string[]) => runScript('cli/reconcile.ts', [...args, '--base-url', standIn.baseUrl], env());
const failing = (...args: string[]) =>
  reconcileCli(...args).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );

async function viewOf(groupId: string) {
  const store = await openLocalStore(dataDir, {});
  try {
    return await new DynamoDbStateStore(store.client, LOCAL_STATE_TABLE_NAME).group(SDK_APP_ID, groupId);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  standIn = await startTencentRestStandIn(app);
  // What npm start stored: a group with two members, an hour ago.
  const receiver = await startLocalReceiver({ settings: testSettings(), port: 0, dynamodbPort: 0, dataDir, log: () => undefined, onReplay: () => undefined });
  const body = {
    CallbackCommand: 'Group.CallbackAfterCreateGroup',
    GroupId: '@TGS#cli',
    Type: 'Public',
    Owner_Account: 'leckie',
    Name: 'Before',
    MemberList: [{ Member_Account: 'peter' }],
    EventTime: Date.now() - 3_600_000,
  };
  expect((await post(receiver, { command: body.CallbackCommand, body: JSON.stringify(body) })).status).toBe(200);
  // In the view before the close: close() leaves what the view's consumer has not done to the next start.
  await receiver.state.idle();
  await receiver.close();
  standIn.groups.set('@TGS#cli', { Type: 'Public', Name: 'After', Owner_Account: 'leckie', members: [{ Member_Account: 'leckie', Role: 'Owner' }] });
});
afterAll(async () => {
  await standIn?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx tencent-im reconcile', () => {
  test('--dry-run prints what differs and writes nothing', async () => {
    const { stdout } = await reconcileCli('--dry-run');
    expect(stdout.split('\n')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Reconciled the synced view of SDKAppID 1400000000 with Tencent \(dry run: nothing written\): 1 groups checked, 1 differed/),
        '@TGS#cli: not repaired',
        '  name: view "Before", Tencent "After"',
        '  1 members in the view, not in Tencent: peter',
      ]),
    );
    expect((await viewOf('@TGS#cli'))!.name).toBe('Before');
  });

  test('repairs the local view, and --json prints the report as data', async () => {
    const { stdout } = await reconcileCli('--json');
    expect(JSON.parse(stdout)).toMatchObject({ sdkAppId: SDK_APP_ID, repaired: true, checked: 1, drift: { fields: 1, extraMembers: 1 } });
    const group = await viewOf('@TGS#cli');
    expect(group!.name).toBe('After');
    expect(group!.members.map((member) => member.account)).toEqual(['leckie']);
  });

  test('fails in one line: wrong credentials naming the setting and code, a bad option with the usage', async () => {
    const wrong = await runScript('cli/reconcile.ts', ['--base-url', standIn.baseUrl], { ...env(), IM_SECRET_KEY: 'not-the-key' }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(wrong).toEqual({
      code: 1,
      stderr:
        "Tencent's REST API refused the admin credentials (ErrorCode 70009: UserSig verification failed (wrong key)) on v4/group_open_http_svc/get_group_info: check IM_SECRET_KEY\n",
    });
    const bad = await failing('--calls-per-second', '900');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--calls-per-second 900: must be a whole number from 1 to 200\n\nUsage: npx tencent-im reconcile/);
  });
});
