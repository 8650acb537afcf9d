/**
 * The reconciliation (docs/production.md#reconcile) against the stand-in of Tencent's REST API and the
 * state table on dynalite: the view drifts (callbacks missed, members added without callbacks), a run
 * finds each difference, repairs it through the view's merge, and a later real event still wins.
 * Then what it must not do: remove what it could not read, call a timeout "broken", or go past
 * Tencent's rate.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { REPAIR_STAMP_MARGIN_MS, type ReconcileOptions, reconcile, reportText } from '../../../functions/reconcile/reconcile-run.ts';
import { stateStoreView } from '../../../functions/reconcile/reconcile-view.ts';
import { deltaOf } from '../../../functions/synced-view/delta.ts';
import { DynamoDbStateStore } from '../../../functions/synced-view/dynamodb-state-store.ts';
import { chatApis } from '../../../functions/tencent/chat-apis.ts';
import { TencentCredentialsError } from '../../../functions/tencent/rest-errors.ts';
import { credentialsFromSecretText } from '../../../functions/tencent/tencent-credentials.ts';
import { TencentRestClient } from '../../../functions/tencent/tencent-rest-client.ts';
import { type EmbeddedStore, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../../local/local-state-table.ts';
import { storedEventOf } from '../../support/group-lives.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../../support/tencent-rest-stand-in.ts';

const key = `key-${randomBytes(16).toString('hex')}`;
let store: EmbeddedStore;
let state: DynamoDbStateStore;
let standIn: TencentRestStandIn;
/** An SDKAppID per test: the tests share one table. */
let app: string;
let run = 0;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  state = new DynamoDbStateStore(store.client, LOCAL_STATE_TABLE_NAME);
});
afterAll(() => store.close());
beforeEach(async () => {
  app = `15${String(++run).padStart(8, '0')}`;
  standIn = await startTencentRestStandIn({ sdkAppId: app, identifier: 'administrator', secretKey: key });
});
afterEach(() => standIn.close());

const credentials = () => credentialsFromSecretText(JSON.stringify({ sdkAppId: app, identifier: 'administrator', secretKey: key }), 'tencent/im-admin');
const client = (options: { callsPerSecond?: number; secretKey?: string; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}) =>
  new TencentRestClient({
    now: options.now,
    sleep: options.sleep,
    credentials:
      options.secretKey === undefined
        ? credentials()
        : credentialsFromSecretText(JSON.stringify({ sdkAppId: app, identifier: 'administrator', secretKey: options.secretKey }), 'tencent/im-admin'),
    baseUrl: standIn.baseUrl,
    callsPerSecond: options.callsPerSecond,
    retry: { attempts: 2, baseDelayMs: 2, maxDelayMs: 4 },
  });
const run_ = (options: Partial<ReconcileOptions> = {}) =>
  reconcile({ client: client(), view: stateStoreView(state), groups: [], viewGroups: true, maxGroups: 1_000, repair: true, random: () => 0, ...options });

/** Stores what callbacks would have told the view, at these event times. */
async function happened(command: string, body: Record<string, unknown>, eventTime: number) {
  const event = storedEventOf(
    app,
    { command, body: JSON.stringify({ CallbackCommand: command, ...body, EventTime: eventTime }), platform: 'RESTAPI' },
    eventTime,
  );
  await state.apply([{ source: event.eventId, patches: deltaOf(event) }]);
}

const HOUR = 3_600_000;
/** A group the view knows from its creation an hour ago: owner leckie, members bob and peter. */
async function createdAnHourAgo(groupId: string, name = 'Old name') {
  await happened(
    'Group.CallbackAfterCreateGroup',
    { GroupId: groupId, Type: 'Public', Name: name, Owner_Account: 'leckie', MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }] },
    Date.now() - HOUR,
  );
}

describe('a reconciliation run', () => {
  test('finds what the view missed, repairs it through the merge, and says so in a readable report', async () => {
    await createdAnHourAgo('@TGS#1');
    // Since then, without callbacks: renamed, peter left, zoe joined, bob made admin with a name card.
    standIn.groups.set('@TGS#1', {
      Type: 'Public',
      Name: 'New name',
      Owner_Account: 'leckie',
      members: [
        { Member_Account: 'leckie', Role: 'Owner' },
        { Member_Account: 'bob', Role: 'Admin', NameCard: 'Bobby' },
        { Member_Account: 'zoe', Role: 'Member' },
      ],
    });
    const report = await run_();
    expect(report).toMatchObject({ checked: 1, unknown: [], notReached: 0, drift: { fields: 3, missingMembers: 1, extraMembers: 1, goneGroups: 0 } });
    const group = await state.group(app, '@TGS#1');
    expect(group).toMatchObject({ name: 'New name', owner: 'leckie', type: 'Public' });
    expect(group!.members).toEqual([
      { account: 'bob', role: 'Admin', nameCard: 'Bobby' },
      { account: 'leckie', role: 'Owner' },
      { account: 'zoe', role: 'Member' },
    ]);
    expect(reportText(report).split('\n')).toEqual([
      `Reconciled the synced view of SDKAppID ${app} with Tencent: 1 groups checked, 1 differed, 0 unknown; 3 fields differing, 1 members missing, 1 extra, 0 groups gone.`,
      '@TGS#1: repaired',
      '  name: view "Old name", Tencent "New name"',
      '  member bob: role: view "Member", Tencent "Admin"',
      '  member bob: nameCard: view (none), Tencent "Bobby"',
      '  1 members missing from the view: zoe',
      '  1 members in the view, not in Tencent: peter',
    ]);
    // Repaired, the next run finds nothing.
    expect((await run_()).drift).toEqual({ fields: 0, missingMembers: 0, extraMembers: 0, goneGroups: 0 });
  });

  test('its repairs are stamped before its read: a later real event wins, a late old one does not', async () => {
    await createdAnHourAgo('@TGS#2');
    standIn.groups.set('@TGS#2', {
      Type: 'Public',
      Name: 'Old name',
      Owner_Account: 'leckie',
      members: [{ Member_Account: 'leckie', Role: 'Owner' }, { Member_Account: 'bob' }, { Member_Account: 'zoe' }],
    });
    const before = Date.now();
    await run_();
    // peter's removal and zoe's addition are in; now zoe leaves for real, and peter's old join arrives late.
    await happened('Group.CallbackAfterMemberExit', { GroupId: '@TGS#2', ExitMemberList: [{ Member_Account: 'zoe' }] }, Date.now() + 1);
    await happened(
      'Group.CallbackAfterNewMemberJoin',
      { GroupId: '@TGS#2', NewMemberList: [{ Member_Account: 'peter' }] },
      before - REPAIR_STAMP_MARGIN_MS - HOUR / 2,
    );
    const accounts = (await state.group(app, '@TGS#2'))!.members.map((member) => member.account);
    expect(accounts).toEqual(['bob', 'leckie']);
  });

  test('a group Tencent says is dissolved is shown dissolved, and not asked about again', async () => {
    await createdAnHourAgo('@TGS#gone');
    const report = await run_();
    expect(report.drift.goneGroups).toBe(1);
    expect((await state.group(app, '@TGS#gone'))?.destroyed).toBe(true);
    const asked = standIn.requests.length;
    expect((await run_()).checked).toBe(0);
    expect(standIn.requests.slice(asked).filter((request) => request.api === chatApis.getGroupInfo)).toEqual([]);
  });

  test('groups given are reconciled even when the view never heard of them', async () => {
    standIn.groups.set('@TGS#silent', {
      Type: 'Private',
      Name: 'Never called back',
      Owner_Account: 'ann',
      members: [{ Member_Account: 'ann', Role: 'Owner' }],
    });
    const report = await run_({ groups: ['@TGS#silent'], viewGroups: false });
    expect(report.drift).toMatchObject({ missingMembers: 1 });
    expect(await state.group(app, '@TGS#silent')).toMatchObject({
      type: 'Private',
      name: 'Never called back',
      owner: 'ann',
      members: [{ account: 'ann', role: 'Owner' }],
    });
  });

  test('a dry run reports and writes nothing', async () => {
    await createdAnHourAgo('@TGS#dry');
    standIn.groups.set('@TGS#dry', { Type: 'Public', Name: 'Renamed', Owner_Account: 'leckie', members: [{ Member_Account: 'leckie', Role: 'Owner' }] });
    const report = await run_({ repair: false });
    expect(report.drift).toEqual({ fields: 1, missingMembers: 0, extraMembers: 2, goneGroups: 0 });
    expect(reportText(report)).toMatch(/dry run: nothing written[\s\S]*@TGS#dry: not repaired/);
    expect((await state.group(app, '@TGS#dry'))!.name).toBe('Old name');
  });

  test.each(['AVChatRoom', 'Live'])('a group of type %s is compared by its profile alone: Tencent cannot list its members', async (Type) => {
    await happened('Group.CallbackAfterCreateGroup', { GroupId: '@TGS#live', Type, Name: 'Live', Owner_Account: 'host' }, Date.now() - HOUR);
    await happened('Group.CallbackAfterNewMemberJoin', { GroupId: '@TGS#live', NewMemberList: [{ Member_Account: 'viewer' }] }, Date.now() - HOUR);
    standIn.groups.set('@TGS#live', { Type, Name: 'Live now', Owner_Account: 'host' });
    const report = await run_();
    expect(report.drift).toEqual({ fields: 1, missingMembers: 0, extraMembers: 0, goneGroups: 0 });
    expect((await state.group(app, '@TGS#live'))!.members.map((member) => member.account)).toEqual(['host', 'viewer']);
  });

  test('stops at maxGroups: the rest are counted as not reached', async () => {
    for (const id of ['@TGS#a', '@TGS#b', '@TGS#c']) {
      await createdAnHourAgo(id);
      standIn.groups.set(id, {
        Type: 'Public',
        Name: 'Old name',
        Owner_Account: 'leckie',
        members: [{ Member_Account: 'leckie', Role: 'Owner' }, { Member_Account: 'bob' }, { Member_Account: 'peter' }],
      });
    }
    const report = await run_({ maxGroups: 2 });
    expect({ checked: report.checked, notReached: report.notReached }).toEqual({ checked: 2, notReached: 1 });
    expect(reportText(report)).toMatch(/1 not reached \(next run\)/);
  });
});

describe('when Tencent does not answer, or refuses', () => {
  test('a rate-limited or failing get_group_info makes its groups unknown, and nothing is written', async () => {
    await createdAnHourAgo('@TGS#u');
    standIn.failNext(chatApis.getGroupInfo, { errorCode: 60007 }, 2);
    const report = await run_();
    expect(report).toMatchObject({ checked: 0, unknown: [{ groupId: '@TGS#u', reason: expect.stringMatching(/rate-limited .*60007/) }] });
    expect(report.drift).toEqual({ fields: 0, missingMembers: 0, extraMembers: 0, goneGroups: 0 });
    expect((await state.group(app, '@TGS#u'))!.members.map((member) => member.account)).toEqual(['bob', 'leckie', 'peter']);
    expect(reportText(report)).toMatch(/^@TGS#u: unknown: /m);
  });

  test('a member list that could not be read to its end removes nobody', async () => {
    await createdAnHourAgo('@TGS#m');
    standIn.groups.set('@TGS#m', { Type: 'Public', Name: 'Renamed', Owner_Account: 'leckie', members: [{ Member_Account: 'leckie', Role: 'Owner' }] });
    standIn.failNext(chatApis.getGroupMemberInfo, { httpStatus: 502 }, 2);
    const report = await run_();
    expect(report.unknown).toEqual([{ groupId: '@TGS#m', reason: expect.stringMatching(/^members not all read, none removed: /) }]);
    const group = await state.group(app, '@TGS#m');
    expect(group!.name).toBe('Renamed');
    expect(group!.members.map((member) => member.account)).toEqual(['bob', 'leckie', 'peter']);
  });

  test('wrong credentials stop the run in one line naming the setting and the code', async () => {
    await createdAnHourAgo('@TGS#k');
    const failure = run_({ client: client({ secretKey: 'not-the-key' }) });
    await expect(failure).rejects.toBeInstanceOf(TencentCredentialsError);
    await expect(failure).rejects.toThrow(
      /^Tencent's REST API refused the admin credentials \(ErrorCode 70009: .*\) on v4\/group_open_http_svc\/get_group_info: check secretKey in Secrets Manager secret tencent\/im-admin$/,
    );
  });

  test('never faster than its calls a second: Tencent, limiting at that rate, refuses none', async () => {
    // One clock for both sides, moved only by the client's waits: the rate is a count, not a race.
    let at = Date.now();
    const now = () => at;
    const sleep = async (ms: number) => {
      at += ms;
    };
    await standIn.close();
    standIn = await startTencentRestStandIn({ sdkAppId: app, identifier: 'administrator', secretKey: key }, { now });
    for (let index = 0; index < 8; index++) {
      const id = `@TGS#r${index}`;
      await createdAnHourAgo(id);
      standIn.groups.set(id, {
        Type: 'Public',
        Name: 'Old name',
        Owner_Account: 'leckie',
        members: [{ Member_Account: 'leckie', Role: 'Owner' }, { Member_Account: 'bob' }, { Member_Account: 'peter' }],
      });
    }
    standIn.rateLimit(3);
    const report = await run_({ client: client({ callsPerSecond: 3, now, sleep }) });
    expect({ checked: report.checked, unknown: report.unknown }).toEqual({ checked: 8, unknown: [] });
    expect(standIn.requests.filter((request) => request.answer === 60007)).toEqual([]);
  });
});
