import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseStateOptions } from '../../../cli/state-options.ts';
import { indexRecords } from '../../../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../../../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { streamRecordOf } from '../../../functions/store/event-image.ts';
import { DynamoDbStateStore } from '../../../functions/synced-view/dynamodb-state-store.ts';
import { LOCAL_TABLE_NAME } from '../../../local/embedded-store.ts';
import { type LocalReceiver, startLocalReceiver } from '../../../local/local-server.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../../local/local-state-table.ts';
import { storedEventOf } from '../../support/group-lives.ts';
import { runScript } from '../../support/processes.ts';
import { post, SDK_APP_ID, testSettings } from '../../support/receiver.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'state-cli-'));
const env = { DATA_DIR: dataDir, IM_SDKAPPIDS: SDK_APP_ID };
const state = (...args: string[]) => runScript('cli/state.ts', args, env);
/** A failing run's exit code and stderr (execFile rejects on a non-zero exit). */
const failing = (...args: string[]) =>
  state(...args).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );

const callbacks: Record<string, unknown>[] = [
  {
    CallbackCommand: 'Group.CallbackAfterCreateGroup',
    GroupId: '@TGS#cli',
    Type: 'Community',
    Owner_Account: 'leckie',
    Name: 'Cli',
    Introduction: 'intro',
    MemberList: [{ Member_Account: 'peter' }, { Member_Account: 'bob' }],
    EventTime: 1_700_000_000_000,
  },
  {
    CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
    GroupId: '@TGS#cli',
    Modified_Account: 'bob',
    Role: 'Admin',
    NameCard: 'Bobby',
    EventTime: 1_700_000_000_010,
  },
  { CallbackCommand: 'Group.CallbackAfterCreateTopic', GroupId: '@TGS#cli', TopicId: '@TGS#cli@TOPIC#b', Name: 'B' },
  { CallbackCommand: 'Group.CallbackAfterCreateTopic', GroupId: '@TGS#cli', TopicId: '@TGS#cli@TOPIC#a', Name: 'A' },
  {
    CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
    GroupId: '@TGS#cli',
    OptionType: 'modify',
    GroupAttr: [{ key: 'k', value: 'v' }],
    EventTime: 1_700_000_000_020,
  },
  { CallbackCommand: 'State.StateChange', EventTime: 1_700_000_000_030, Info: { Action: 'Login', To_Account: 'bob', Reason: 'Register' } },
  // A live room (docs/synced-view.md#live-rooms): TUILiveKit's callbacks about room live-cli.
  { CallbackCommand: 'Live.CallbackAfterCreateRoom', RoomInfo: { RoomId: 'live-cli', RoomName: 'Show', RoomType: 'Live', Owner_Account: 'host' } },
  { CallbackCommand: 'Live.CallbackAfterModifyAdmin', RoomId: 'live-cli', Admin_Account: ['mod', 'ex'], opType: 'add', EventTime: 1_700_000_000_040 },
  { CallbackCommand: 'Live.CallbackAfterModifyAdmin', RoomId: 'live-cli', Admin_Account: ['ex'], opType: 'delete', EventTime: 1_700_000_000_041 },
  {
    CallbackCommand: 'Live.CallbackAfterMemberStateChanged',
    RoomId: 'live-cli',
    EventType: 'Online',
    EventCause: 'Enter',
    // As the page prints such an id: a bare number past 2^53 (docs/protocol.md#big-integers).
    MemberList: [{ Member_Account: 'fan' }, { Member_Account: 'mod' }, { Member_Account: '<big>' }],
    EventTime: 1_700_000_000_050,
  },
  {
    CallbackCommand: 'Live.CallbackAfterMemberStateChanged',
    RoomId: 'live-cli',
    EventType: 'Offline',
    EventCause: 'Leave',
    MemberList: [{ Member_Account: 'mod' }],
    EventTime: 1_700_000_000_051,
  },
  {
    CallbackCommand: 'Mic.CallbackAfterSeatInfoChanged',
    RoomId: 'live-cli',
    SeatList: [
      { Index: 1, IsTakenDisabled: true },
      { Index: 0, Member_Account: 'host', IsAudioDisabled: false },
    ],
    EventTime: 1_700_000_000_060,
  },
];
const bodyText = (body: Record<string, unknown>) => JSON.stringify(body).replace('"<big>"', '144115233775727695');

let topicTime: number;
/** --group --json as first computed, read in beforeAll: the rebuild must reproduce it, whichever test runs first. */
let printed: string;
beforeAll(async () => {
  const receiver = await startLocalReceiver({ settings: testSettings(), port: 0, dynamodbPort: 0, dataDir, log: () => undefined, onReplay: () => undefined });
  for (const body of callbacks) {
    const { status } = await post(receiver, { command: String(body.CallbackCommand), body: bodyText(body), query: { OptPlatform: 'Android' } });
    expect(status).toBe(200);
  }
  topicTime = Date.now();
  await receiver.close();
  printed = (await state('--group', '@TGS#cli', '--json')).stdout;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run state', () => {
  test("--group --json prints the issue's object: members by account, topics by id, absent fields left out", async () => {
    const group = JSON.parse(printed);
    expect(Object.keys(group)).toEqual([
      'sdkAppId',
      'groupId',
      'type',
      'name',
      'introduction',
      'owner',
      'destroyed',
      'members',
      'topics',
      'attributes',
      'updatedAt',
    ]);
    expect(group).toMatchObject({
      sdkAppId: SDK_APP_ID,
      groupId: '@TGS#cli',
      type: 'Community',
      name: 'Cli',
      introduction: 'intro',
      owner: 'leckie',
      destroyed: false,
      members: [
        { account: 'bob', role: 'Admin', nameCard: 'Bobby' },
        { account: 'leckie', role: 'Owner' },
        { account: 'peter', role: 'Member' },
      ],
      topics: [
        { topicId: '@TGS#cli@TOPIC#a', name: 'A' },
        { topicId: '@TGS#cli@TOPIC#b', name: 'B' },
      ],
      attributes: { k: 'v' },
    });
    // The topic callbacks carry no EventTime: they count from when they arrived.
    expect(group.updatedAt).toBeGreaterThan(1_700_000_000_030);
    expect(group.updatedAt).toBeLessThanOrEqual(topicTime);
  });

  test('--room --json prints a live room: its profile, online members, admins and seats (an admin offline stays one)', async () => {
    expect(JSON.parse((await state('--room', 'live-cli', '--json')).stdout)).toEqual({
      sdkAppId: SDK_APP_ID,
      groupId: 'live-cli',
      type: 'Live',
      name: 'Show',
      owner: 'host',
      members: [{ account: '144115233775727695' }, { account: 'fan' }],
      topics: [],
      attributes: {},
      admins: ['mod'],
      seats: [
        { index: '0', account: 'host', audioDisabled: false },
        { index: '1', takenDisabled: true },
      ],
      updatedAt: expect.any(Number),
    });
    const { stdout } = await state('--room', 'live-cli');
    expect(stdout).toContain('Live room live-cli (SDKAppID 1400000000)');
    expect(stdout).toMatch(/Admins \(1\)\n\s+mod\n/);
    expect(stdout).toMatch(/Seats \(2\)\n\s+#0\s+host\n\s+#1\s+\(empty\)\s+takenDisabled/);
  });

  test("--user --json prints the user's presence", async () => {
    expect(JSON.parse((await state('--user', 'bob', '--json')).stdout)).toEqual({
      sdkAppId: SDK_APP_ID,
      account: 'bob',
      online: true,
      lastAction: 'Login',
      platform: 'Android',
      updatedAt: 1_700_000_000_030,
    });
  });

  test('without --json, a summary for people', async () => {
    const { stdout } = await state('--group', '@TGS#cli');
    expect(stdout).toContain('Group @TGS#cli (SDKAppID 1400000000)');
    expect(stdout).toMatch(/Members \(3\)\n\s+bob\s+Admin\s+Bobby/);
  });

  test('an unknown group or user is an error that says so, exit 1', async () => {
    expect(await failing('--group', '@TGS#nobody', '--json')).toEqual({ code: 1, stderr: expect.stringContaining('No group @TGS#nobody') });
    expect(await failing('--user', 'nobody')).toEqual({ code: 1, stderr: expect.stringContaining('No user nobody') });
    expect(await failing('--room', 'nowhere')).toEqual({ code: 1, stderr: expect.stringContaining('No live room nowhere') });
  });

  test('--rebuild recomputes the same view from the stored events, as a new generation', async () => {
    expect((await state('--rebuild')).stdout).toMatch(
      /^Rebuilt the synced view of SDKAppID 1400000000 from 12 stored events, as generation 1; 16 items of the older ones removed\.$/m,
    );
    expect((await state('--group', '@TGS#cli', '--json')).stdout).toBe(printed);
  });

  describe('while npm start runs', () => {
    let receiver: LocalReceiver;
    beforeAll(async () => {
      receiver = await startLocalReceiver({ settings: testSettings(), port: 0, dynamodbPort: 0, dataDir, log: () => undefined, onReplay: () => undefined });
    });
    afterAll(() => receiver.close());

    test('--rebuild runs beside it: callbacks that arrive meanwhile, before, during and after, are in the view it leaves', async () => {
      const before = (await state('--group', '@TGS#cli', '--json')).stdout;
      const rebuilding = state('--rebuild');
      let done = false;
      void rebuilding.finally(() => (done = true)).catch(() => undefined);
      // Joins one after another for as long as the rebuild runs, and one more.
      let joined = 0;
      for (let last = false; !last; joined += 1) {
        last = done;
        const body = {
          CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
          GroupId: '@TGS#busy',
          JoinType: 'Apply',
          NewMemberList: [{ Member_Account: `member${joined}` }],
          EventTime: 1_700_000_001_000 + joined,
        };
        expect((await post(receiver, { command: body.CallbackCommand, body: JSON.stringify(body) })).status).toBe(200);
      }
      expect((await rebuilding).stdout).toMatch(/^Rebuilt the synced view of SDKAppID 1400000000 from \d+ stored events, as generation \d+;/m);
      await receiver.state.idle();
      const view = JSON.parse((await state('--group', '@TGS#busy', '--json')).stdout);
      expect(view.members).toHaveLength(joined);
      expect((await state('--group', '@TGS#cli', '--json')).stdout).toBe(before);
    });

    test('a second rebuild is refused in one line that names the first', async () => {
      const store = new DynamoDbStateStore(receiver.store.client, LOCAL_STATE_TABLE_NAME);
      const first = await store.openGeneration([SDK_APP_ID], { holder: { host: 'build-host', pid: 4242 } });
      try {
        const { code, stderr } = await failing('--rebuild');
        expect(code).toBe(1);
        expect(stderr.trim().split('\n')).toEqual([
          expect.stringMatching(
            /^Could not rebuild the synced view, which was left as it was: a rebuild of SDKAppID 1400000000 is already under way \(build-host, pid 4242, since .*\): let it finish, or if it died, run again after .*$/,
          ),
        ]);
      } finally {
        await first.abandon();
      }
    });

    test('--rebuild lists the events it could not project, and keeps the rest', async () => {
      const before = (await state('--group', '@TGS#cli', '--json')).stdout;
      const body = { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: '@TGS#cli', Name: 'never', EventTime: 1_700_000_000_040 };
      const broken = {
        ...storedEventOf(SDK_APP_ID, { command: body.CallbackCommand, body: JSON.stringify(body), platform: 'Web' }, 1),
        payload: '{"GroupId":',
      };
      // Written past the change log (no consumer would take it), then indexed as the fan-out's stage does: the rebuild lists the app through the digests.
      const { outcome, key } = await new DynamoDbEventStore(receiver.store.client, LOCAL_TABLE_NAME).put(broken);
      expect(outcome).toBe('stored');
      await indexRecords({ writer: new DynamoDbDerivedItemWriter(receiver.store.client, LOCAL_TABLE_NAME) })([
        streamRecordOf(broken, key, { source: 'state-cli-test', sequenceNumber: '1' }),
      ]);
      const { stdout } = await state('--rebuild');
      expect(stdout.split('\n').slice(1, 3)).toEqual([
        'Skipped 1 event it could not project (the view has everything else):',
        expect.stringMatching(new RegExp(`^  ${broken.eventId} Group.CallbackAfterGroupInfoChanged: .*JSON`)),
      ]);
      expect((await state('--group', '@TGS#cli', '--json')).stdout).toBe(before);
    });

    test('a rebuild that died on this machine is taken over at once', async () => {
      const before = (await state('--group', '@TGS#cli', '--json')).stdout;
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      const store = new DynamoDbStateStore(receiver.store.client, LOCAL_STATE_TABLE_NAME);
      await store.openGeneration([SDK_APP_ID], { holder: { host: hostname(), pid: gone } });
      expect((await state('--rebuild')).stdout).toMatch(/^Rebuilt the synced view/m);
      expect((await state('--group', '@TGS#cli', '--json')).stdout).toBe(before);
    });
  });

  test('the options: exactly one of --group, --room, --user, --rebuild', () => {
    expect(() => parseStateOptions([])).toThrow('give one of --group, --room, --user or --rebuild');
    expect(() => parseStateOptions(['--group', 'g', '--room', 'r'])).toThrow('give one of');
    expect(() => parseStateOptions(['--group', 'g', '--user', 'u'])).toThrow('give one of');
    expect(() => parseStateOptions(['--rebuild', '--table', 'T'])).toThrow('--events-table');
    expect(parseStateOptions(['--user', 'u', '--table', 'T', '--region', 'eu-west-1'])).toMatchObject({
      user: 'u',
      table: 'T',
      region: 'eu-west-1',
      json: false,
    });
  });
});
