import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { type Body, type CommandDefinition, EVENT_TIME, messageTimeFields, type ProductName, subjectsOf } from '../../../functions/commands/definition.ts';
import { readPath } from '../../../functions/commands/field-path.ts';
import { commandDefinition, commandRegistry, commandsOfProduct } from '../../../functions/commands/registry.ts';

/**
 * What each family outside `Group.*` and `State.*` says of its own commands (docs/protocol.md#families):
 * their subjects, loose types, answers and batches. What holds of every command (summaries, pages,
 * paths, examples, refusal codes, schema drift) is registry.test.ts's.
 */
const definitions: CommandDefinition[] = [...commandRegistry.values()].filter((definition) => !['Group', 'State'].includes(definition.family));
const ofFamily = (family: string) => definitions.filter((definition) => definition.family === family);

/** The events a body holds: a batch's elements (`Push.*`), or the body itself. */
const eventsOf = (definition: CommandDefinition, body: Body = definition.example): Body[] =>
  definition.batch ? (body[definition.batch.list] as Body[]) : [body];

const entriesOf = (definition: CommandDefinition): v.ObjectEntries => (definition.schema as unknown as { entries: v.ObjectEntries }).entries;

const parse = (command: string, body: Body) => v.parse(commandDefinition(command).schema, body);
const accepts = (command: string, body: Body) => v.safeParse(commandDefinition(command).schema, body).success;

describe('the families outside Group and State', () => {
  // Unlike Group's examples, copied from pages that leave the operator out, theirs are complete.
  test.each(definitions)('$command: its record fields all read a value from its example', (definition) => {
    for (const event of eventsOf(definition)) {
      for (const path of Object.values(definition.recordFields)) expect(readPath(event, path)).not.toEqual([]);
    }
  });

  /** Roles a family declares that an example cannot have: an account not created yet, an admin who did not act (""). */
  const absentRoles: Record<string, string[]> = {
    'OfficialAccount.CallbackBeforeCreateOfficialAccount': ['official'],
    'Sns.CallbackFriendAdd': ['admin'],
  };

  test.each(definitions)('$command: each of its roles names an account in its example', (definition) => {
    for (const event of eventsOf(definition)) {
      const roles = new Set(subjectsOf(definition, event).accounts.map(({ role }) => role));
      const declared = Object.keys(definition.subjects.accounts).filter((role) => !absentRoles[definition.command]?.includes(role));
      expect(declared.filter((role) => !roles.has(role))).toEqual([]);
    }
  });
});

describe('subjects', () => {
  /** What an event names, in short: its accounts by role as a record shows them, its place and who it is by. */
  const about = (definition: CommandDefinition, body: Body) => {
    const { groupId, accounts, placeAccount, actor, user } = subjectsOf(definition, body);
    return {
      ...(groupId === undefined ? {} : { groupId }),
      accounts: accounts.map(({ role, account }) => `${role}=${account}`).join(' '),
      ...(placeAccount === undefined ? {} : { place: placeAccount }),
      ...(actor === undefined ? {} : { actor }),
      ...(user === undefined ? {} : { user }),
    };
  };

  /** What each example is about (the subjects each family's section of docs/protocol.md names). */
  const expected: Record<string, ReturnType<typeof about>> = {
    'C2C.CallbackAfterC2CMsgExtension': { accounts: 'sender=user1 receiver=user2', place: 'user2', actor: 'user1', user: 'user1' },
    'C2C.CallbackBeforeSendMsg': { accounts: 'sender=jared receiver=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    'C2C.CallbackAfterSendMsg': { accounts: 'sender=jared receiver=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    'C2C.CallbackAfterMsgReport': { accounts: 'reader=jared peer=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    'C2C.CallbackAfterMsgWithDraw': { accounts: 'sender=jared receiver=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    'C2C.CallbackAfterMsgReadReceipt': { accounts: 'reader=jared peer=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    'C2C.CallbackAfterModifyMsg': { accounts: 'operator=jared sender=jared receiver=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    'C2C.CallbackAfterMsgReadAll': { accounts: 'reader=Jonh', place: 'Jonh', actor: 'Jonh', user: 'Jonh' },
    'Profile.CallbackPortraitSet': { accounts: 'operator=id1 owner=id1', place: 'id1', actor: 'id1', user: 'id1' },
    'Sns.CallbackPrevFriendAdd': { accounts: 'requester=id account=id friend=id1', place: 'id', actor: 'id', user: 'id' },
    'Sns.CallbackPrevFriendResponse': { accounts: 'requester=id account=id friend=id1', place: 'id', actor: 'id', user: 'id' },
    'Sns.CallbackFriendAdd': { accounts: 'account=id friend=id1 initiator=id', place: 'id', user: 'id' },
    'Sns.CallbackFriendDelete': { accounts: 'account=id friend=id1', place: 'id', user: 'id' },
    'Sns.CallbackBlackListAdd': { accounts: 'account=id blocked=id1', place: 'id', user: 'id' },
    'Sns.CallbackBlackListDelete': { accounts: 'account=id blocked=id1', place: 'id', user: 'id' },
    'Follow.CallbackAfterFollowAdd': {
      accounts: 'follower=UserID_001 followed=UserID_002 followed=UserID_003',
      place: 'UserID_001',
      actor: 'UserID_001',
      user: 'UserID_001',
    },
    'Follow.CallbackAfterFollowDelete': {
      accounts: 'follower=UserID_001 followed=UserID_002 followed=UserID_003',
      place: 'UserID_001',
      actor: 'UserID_001',
      user: 'UserID_001',
    },
    'OfficialAccount.CallbackBeforeCreateOfficialAccount': { accounts: 'operator=107867 owner=107867', place: '107867', actor: '107867', user: '107867' },
    'OfficialAccount.CallbackAfterCreateOfficialAccount': {
      accounts: 'official=@TOA#_test_OA_for_penn operator=107867 owner=107867',
      place: '@TOA#_test_OA_for_penn',
      actor: '107867',
      user: '107867',
    },
    'OfficialAccount.CallbackAfterOfficialAccountInfoChanged': {
      accounts: 'official=@TOA#_test_OA_for_penn operator=leckie',
      place: '@TOA#_test_OA_for_penn',
      actor: 'leckie',
      user: 'leckie',
    },
    'OfficialAccount.CallbackAfterOfficialAccountDestroyed': {
      accounts: 'official=@TOA#_test_OA_for_penn owner=107867',
      place: '@TOA#_test_OA_for_penn',
      actor: '107867',
      user: '107867',
    },
    'OfficialAccount.CallbackBeforeAddSubscriber': {
      accounts: 'official=@TOA#_test_for_penn operator=107867 subscriber=jared subscriber=leckie',
      place: '@TOA#_test_for_penn',
      actor: '107867',
      user: '107867',
    },
    'OfficialAccount.CallbackAfterAddSubscriber': {
      accounts: 'official=@TOA#_test_for_penn operator=107867 subscriber=jared',
      place: '@TOA#_test_for_penn',
      actor: '107867',
      user: '107867',
    },
    'OfficialAccount.CallbackAfterOfficialAccountFull': { accounts: 'official=@TOA#_test_for_penn', place: '@TOA#_test_for_penn', user: '@TOA#_test_for_penn' },
    'OfficialAccount.CallbackAfterDeleteSubscriber': {
      accounts: 'official=@TOA#_test_OA_for_penn operator=leckie subscriber=jared',
      place: '@TOA#_test_OA_for_penn',
      actor: 'leckie',
      user: 'leckie',
    },
    'OfficialAccount.CallbackBeforeSendMsg': { accounts: 'official=@TOA#_2J4SZEAEL', place: '@TOA#_2J4SZEAEL', user: '@TOA#_2J4SZEAEL' },
    'OfficialAccount.CallbackAfterSendMsg': { accounts: 'official=@TOA#_2J4SZEAEL', place: '@TOA#_2J4SZEAEL', user: '@TOA#_2J4SZEAEL' },
    'OfficialAccount.CallbackAfterMsgWithDraw': { accounts: 'official=#TOA#_123', place: '#TOA#_123', user: '#TOA#_123' },
    'Bot.OnC2CMessage': { accounts: 'sender=jared bot=@RBT#001', place: '@RBT#001', actor: 'jared', user: 'jared' },
    'Bot.OnGroupMessage': { groupId: '@TGS#2J4SZEAEL', accounts: 'sender=jared operator=admin bot=@RBT#001', actor: 'jared', user: 'jared' },
    'Chatbot.OnC2CSignalMessage': { accounts: 'sender=user01 bot=@RBT#chatbot', place: '@RBT#chatbot', actor: 'user01', user: 'user01' },
    // A push is its device's report: the receiver is its place, and who it is by.
    'Push.OfflinePush': { accounts: 'sender=user1 receiver=user2', place: 'user2', actor: 'user2', user: 'user2' },
    'Push.AllMemberPush': { accounts: 'receiver=user2', place: 'user2', actor: 'user2', user: 'user2' },
    // About the app's traffic, not about anyone.
    'Alert.RequestOverLimit': { accounts: '' },
    'ContentCallback.ResultNotify': { accounts: 'sender=jared receiver=Jonh', place: 'Jonh', actor: 'jared', user: 'jared' },
    // A live room is a group-like place; who acted is the operator, but for what happens by itself.
    'Live.CallbackAfterCreateRoom': { groupId: 'tandy-test-rest', accounts: 'operator=admin owner=user3', actor: 'admin', user: 'admin' },
    'Live.CallbackAfterDestroyRoom': { groupId: 'tandy-test-rest', accounts: 'operator=admin owner=144115216631667826', actor: 'admin', user: 'admin' },
    'Live.CallbackAfterUpdateRoomInfo': { groupId: 'live-room', accounts: 'operator=bob', actor: 'bob', user: 'bob' },
    'Live.CallbackAfterSetMetadata': { groupId: 'live-room1111', accounts: 'operator=brennanli', actor: 'brennanli', user: 'brennanli' },
    'Live.CallbackAfterDelMetadata': { groupId: 'live-room1111', accounts: 'operator=brennanli', actor: 'brennanli', user: 'brennanli' },
    // About the app's rooms, not one of them.
    'Live.CallbackAfterCreateRoomReachingThreshold': { accounts: 'operator=brennanli', actor: 'brennanli', user: 'brennanli' },
    'Live.CallbackAfterMemberStateChanged': { groupId: 'room_id', accounts: 'member=jared member=tommy', actor: 'jared', user: 'jared' },
    'Live.CallbackAfterChangeOwner': { groupId: 'room_id', accounts: 'operator=admin newOwner=user2 oldOwner=user1', actor: 'admin', user: 'admin' },
    'Live.CallbackAfterModifyAdmin': { groupId: 'room_id', accounts: 'operator=admin admin=user1 admin=user2', actor: 'admin', user: 'admin' },
    'Live.CallbackAfterCreateBattle': { groupId: 'pk-3', accounts: 'operator=brennanli', actor: 'brennanli', user: 'brennanli' },
    'Live.CallbackAfterStartBattle': { groupId: 'pk-3', accounts: 'owner=brennan owner=tandy' },
    'Live.CallbackAfterEndBattle': { groupId: 'pk-3', accounts: 'owner=144115245353757792 owner=144115245442327522' },
    'Live.CallbackBeforeSendGift': { groupId: 'room_id', accounts: 'operator=brennanli sender=from receiver=to1', actor: 'from', user: 'from' },
    'Live.CallbackAfterCloudRecordingChanged': { groupId: '635055', accounts: 'recorded=user1', actor: 'user1', user: 'user1' },
    'Mic.CallbackAfterSeatInfoChanged': { groupId: 'rid-123', accounts: 'operator=user1 seated=144115233775727695', actor: 'user1', user: 'user1' },
    'Room.CallbackAfterCreateRoom': {
      groupId: 'tandy-test-rest',
      accounts: 'operator=admin owner=user3 invited=user2 invited=user3',
      actor: 'admin',
      user: 'admin',
    },
    'Room.CallbackAfterDestroyRoom': { groupId: 'tandy-test-rest', accounts: 'operator=admin', actor: 'admin', user: 'admin' },
    'Room.CallbackAfterUpdateRoomInfo': { groupId: 'rid-123', accounts: 'operator=bob owner=jack', actor: 'bob', user: 'bob' },
    'Room.CallbackUpdateRoomInfo': { groupId: 'rid-123', accounts: 'operator=bob owner=jack', actor: 'bob', user: 'bob' },
    'Room.CallbackAfterMemberEnter': { groupId: 'rid-123', accounts: 'operator=user1 joined=user1', actor: 'user1', user: 'user1' },
    'Room.CallbackAfterMemberLeave': { groupId: 'rid-123', accounts: 'operator=user1 left=user1', actor: 'user1', user: 'user1' },
    // A call's place is its CallId; a call starts by itself, and ends by its caller's doing.
    'Call.CallbackAfterStartCall': { groupId: '055662e1-bc8a-469c-a334-1126c8c17d58', accounts: 'member=user1 member=user2' },
    'Call.CallbackAfterEndCall': {
      groupId: '055662e1-bc8a-469c-a334-1126c8c17d58',
      accounts: 'caller=10001 callee=10001 callee=user2',
      actor: '10001',
      user: '10001',
    },
    'Call.CallbackAfterMemberChanged': {
      groupId: '055662e1-bc8a-469c-a334-1126c8c17d58',
      accounts: 'member=user1 member=user2 changed=user2',
      actor: 'user2',
      user: 'user2',
    },
  };

  test('every definition has its expected subjects here, and nothing else does', () => {
    expect(Object.keys(expected).sort()).toEqual(definitions.map((definition) => definition.command).sort());
  });

  test.each(definitions)('$command: read from each event of its example', (definition) => {
    for (const event of eventsOf(definition)) expect(about(definition, event)).toEqual(expected[definition.command]);
  });

  test.each([
    [
      'the responding user, not the requester',
      'Sns.CallbackPrevFriendAdd',
      { Requester_Account: 'admin', From_Account: 'id', FriendItem: [{ To_Account: 'id1' }] },
      { accounts: 'requester=admin account=id friend=id1', place: 'id', actor: 'id', user: 'id' },
    ],
    [
      'both sides of every pair, the first account its place',
      'Sns.CallbackFriendDelete',
      {
        PairList: [
          { From_Account: 'a', To_Account: 'b' },
          { From_Account: 'c', To_Account: 'd' },
        ],
      },
      { accounts: 'account=a account=c friend=b friend=d', place: 'a', user: 'a' },
    ],
    [
      'the future owner of an account not yet created',
      'OfficialAccount.CallbackBeforeCreateOfficialAccount',
      { Operator_Account: 'admin', Owner_Account: 'owner' },
      { accounts: 'operator=admin owner=owner', place: 'owner', actor: 'admin', user: 'admin' },
    ],
    [
      'the user reporting the read, not the peer',
      'C2C.CallbackAfterMsgReport',
      { Report_Account: 'reader', Peer_Account: 'peer' },
      { accounts: 'reader=reader peer=peer', place: 'peer', actor: 'reader', user: 'reader' },
    ],
    [
      'the sender of a read receipt',
      'C2C.CallbackAfterMsgReadReceipt',
      { Operator_Account: 'reader', Peer_Account: 'peer' },
      { accounts: 'reader=reader peer=peer', place: 'peer', actor: 'reader', user: 'reader' },
    ],
    [
      'the group of a moderated group message, its place',
      'ContentCallback.ResultNotify',
      { Scene: 'Group', From_Account: 'jared', ContactItem: { ContactType: 2, ToGroupId: '@TGS#1' } },
      { groupId: '@TGS#1', accounts: 'sender=jared', actor: 'jared', user: 'jared' },
    ],
    [
      'an admin changing a profile',
      'Profile.CallbackPortraitSet',
      { Operator_Account: 'admin', From_Account: 'bob' },
      { accounts: 'operator=admin owner=bob', place: 'bob', actor: 'admin', user: 'admin' },
    ],
  ] as const)('%s (%s)', (_, command, body, subjects) => {
    expect(about(commandDefinition(command), body)).toEqual(subjects);
  });

  test("a group push's group, by its capital-ID GroupID, is its place and busy: one push per offline member", () => {
    const event = { CallbackCommand: 'Push.OfflinePush', EventType: 2, GroupID: '@TGS#2', To_Account: 'user2', EventTime: 1557481127 };
    const definition = commandDefinition('Push.OfflinePush');
    expect(about(definition, event)).toEqual({ groupId: '@TGS#2', accounts: 'receiver=user2', actor: 'user2', user: 'user2' });
    expect(subjectsOf(definition, event)).toMatchObject({ busy: true, time: 1557481127000, timeField: 'EventTime' });
  });

  test('the groups a read-all names are named, not its place', () => {
    const body = { Report_Account: 'ann', GroupReadInfo: [{ GroupId: 'g1' }, { GroupId: 'g2' }, { GroupId: 'g1' }] };
    expect(subjectsOf(commandDefinition('C2C.CallbackAfterMsgReadAll'), body)).toMatchObject({
      groupId: undefined,
      groupIds: ['g1', 'g2'],
      placeAccount: 'ann',
    });
  });
});

describe('loose types', () => {
  test('a profile Value may be a number or a string (uint32/string)', () => {
    const body = {
      CallbackCommand: 'Profile.CallbackPortraitSet',
      From_Account: 'id1',
      ProfileItem: [
        { Tag: 'Tag_Profile_IM_Level', Value: 3 },
        { Tag: 'Tag_Profile_IM_Nick', Value: 'nick' },
      ],
    };
    expect(parse('Profile.CallbackPortraitSet', body).ProfileItem).toEqual(body.ProfileItem);
  });

  test('TextContent may be one string (EN 1047/77840) or an array of strings', () => {
    expect(parse('ContentCallback.ResultNotify', { Scene: 'C2C', TextContent: 'one text' }).TextContent).toBe('one text');
    expect(parse('ContentCallback.ResultNotify', { Scene: 'C2C', TextContent: ['a', 'b'] }).TextContent).toEqual(['a', 'b']);
  });

  test('integers and EventTime that arrive as strings are read as numbers', () => {
    const body = { ...commandDefinition('C2C.CallbackAfterSendMsg').example, MsgSeq: '48374', UnreadMsgNum: '7', EventTime: '1670574414123' };
    expect(parse('C2C.CallbackAfterSendMsg', body)).toMatchObject({ MsgSeq: 48374, UnreadMsgNum: 7, EventTime: 1670574414123 });
    expect(parse('ContentCallback.ResultNotify', { SdkAppId: '1400187352' }).SdkAppId).toBe(1400187352);
  });

  test("AfterFollowDelete's To_Account is an array of accounts", () => {
    expect(parse('Follow.CallbackAfterFollowDelete', { To_Account: ['a', 'b'] }).To_Account).toEqual(['a', 'b']);
    expect(accepts('Follow.CallbackAfterFollowDelete', { To_Account: 'a' })).toBe(false);
  });

  test('the ContentCallback body parses without CallbackCommand, with a numeric SdkAppId', () => {
    const { example } = commandDefinition('ContentCallback.ResultNotify');
    expect(example).not.toHaveProperty('CallbackCommand');
    expect(parse('ContentCallback.ResultNotify', example).SdkAppId).toBe(1400187352);
  });
});

describe('the products sold with Chat (docs/protocol.md#products)', () => {
  test("each product's callback settings send its own families' commands, the seats both Live's and Room's", () => {
    const families = (product: ProductName) => [...new Set(commandsOfProduct(product).map((command) => commandDefinition(command).family))];
    expect(families('live')).toEqual(['Live', 'Mic']);
    expect(families('room')).toEqual(['Mic', 'Room']);
    expect(families('call')).toEqual(['Call']);
    expect(families('chat')).not.toEqual(expect.arrayContaining(['Live', 'Mic', 'Room', 'Call']));
  });

  test('an account the tables type String may come as a bare whole number, never as another type', () => {
    const seat = (Member_Account: unknown) => ({ RoomId: 'r', SeatList: [{ Index: 1, Member_Account }] });
    expect(accepts('Mic.CallbackAfterSeatInfoChanged', seat(10001))).toBe(true);
    expect(accepts('Mic.CallbackAfterSeatInfoChanged', seat('144115233775727695'))).toBe(true);
    expect(accepts('Mic.CallbackAfterSeatInfoChanged', seat(1.5))).toBe(false);
    expect(accepts('Mic.CallbackAfterSeatInfoChanged', seat(true))).toBe(false);
    expect(accepts('Call.CallbackAfterStartCall', { UserList: [{ User_Account: '144115212830834855', Status: 'Calling' }] })).toBe(true);
  });

  test("Room's update takes IsCloudRecordingDisabled as a flag or its text, as its sample sends it", () => {
    const update = (flag: unknown) => ({ RoomInfo: { RoomId: 'r', IsCloudRecordingDisabled: flag } });
    for (const command of ['Room.CallbackAfterUpdateRoomInfo', 'Room.CallbackUpdateRoomInfo']) {
      expect([true, 'false'].map((flag) => accepts(command, update(flag)))).toEqual([true, true]);
      expect(accepts(command, update('no'))).toBe(false);
    }
  });
});

describe('answers', () => {
  test('Live.CallbackBeforeSendGift refuses with 1, or 102100–102200 passed through, and is the one before-callback of the products sold with Chat', () => {
    expect(commandDefinition('Live.CallbackBeforeSendGift').answers).toEqual({
      refusalCodes: [
        { min: 1, max: 1 },
        { min: 102100, max: 102200 },
      ],
    });
    const before = definitions.filter((definition) => definition.products.some((product) => product !== 'chat') && definition.kind === 'before');
    expect(before.map((definition) => definition.command)).toEqual(['Live.CallbackBeforeSendGift']);
  });

  test('C2C.CallbackBeforeSendMsg refuses with 1 (the sender gets 20006) or 120001–130000, drops and rewrites', () => {
    expect(commandDefinition('C2C.CallbackBeforeSendMsg').answers).toEqual({
      refusalCodes: [
        { min: 1, max: 1 },
        { min: 120001, max: 130000 },
      ],
      refusedClientError: 20006,
      drop: true,
      rewrite: { text: 'MsgBody[].MsgContent.Text' },
    });
  });

  // BeforeAddSubscriber's page documents 1 alone (60799): it has no custom range.
  test.each(ofFamily('OfficialAccount').filter((definition) => definition.kind === 'before' && !definition.answers?.refuseMembers))(
    '$command refuses with 1 or 120001–130000',
    (definition) => {
      expect(definition.answers?.refusalCodes).toEqual([
        { min: 1, max: 1 },
        { min: 120001, max: 130000 },
      ]);
    },
  );

  test('OfficialAccount.CallbackBeforeAddSubscriber refuses the whole request with 1 only', () => {
    expect(commandRegistry.get('OfficialAccount.CallbackBeforeAddSubscriber')?.answers?.refusalCodes).toEqual([{ min: 1, max: 1 }]);
  });

  test('only the send-message before-callbacks drop and rewrite', () => {
    const rewriters = definitions.filter((definition) => definition.answers?.drop && definition.answers.rewrite).map((definition) => definition.command);
    expect(rewriters.sort()).toEqual(['C2C.CallbackBeforeSendMsg', 'OfficialAccount.CallbackBeforeSendMsg']);
  });

  test('OfficialAccount.CallbackBeforeAddSubscriber refuses some subscribers by RefusedSubscribers_Account', () => {
    const definition = commandDefinition('OfficialAccount.CallbackBeforeAddSubscriber');
    expect(definition.answers?.refuseMembers).toEqual({ accounts: 'SubscribeAccountList[].Subscriber_Account', answerField: 'RefusedSubscribers_Account' });
    expect(readPath(definition.example, definition.answers!.refuseMembers!.accounts)).toEqual(['jared', 'leckie']);
  });

  test.each(ofFamily('Sns').filter((definition) => definition.kind === 'before'))(
    '$command answers per friend in ResultItem, refusing with 38000–39000',
    (definition) => {
      const { perItem, refusalCodes } = definition.answers!;
      expect(refusalCodes).toEqual([{ min: 38000, max: 39000 }]);
      expect(perItem).toMatchObject({ account: 'To_Account', answerField: 'ResultItem' });
      expect(readPath(definition.example, `${perItem!.list}[].${perItem!.account}`)).toEqual(['id1']);
    },
  );

  test('Chatbot.OnC2CSignalMessage is acknowledged with an RspData, and it alone of these', () => {
    expect(definitions.filter((definition) => definition.acknowledgement).map((definition) => definition.command)).toEqual(['Chatbot.OnC2CSignalMessage']);
    expect(commandDefinition('Chatbot.OnC2CSignalMessage').acknowledgement).toEqual({ RspData: '' });
  });
});

describe('batches and times', () => {
  test.each(ofFamily('Push'))('$command is a batch of Events, EventTime in seconds', (definition) => {
    expect(definition.batch).toEqual({ list: 'Events' });
    expect(definition.timeFields).toEqual([{ path: EVENT_TIME, unit: 's' }]);
    // The schema describes one element: the whole body is not an event.
    expect(entriesOf(definition)).not.toHaveProperty('Events');
  });

  test('every other definition is one event, EventTime in milliseconds first', () => {
    for (const definition of definitions.filter((candidate) => candidate.family !== 'Push')) {
      expect(definition.batch).toBeUndefined();
      expect(definition.timeFields[0]).toEqual({ path: EVENT_TIME, unit: 'ms' });
    }
  });

  test.each(['C2C.CallbackAfterSendMsg', 'Bot.OnC2CMessage'])("%s, whose pages show no EventTime, takes the message's MsgTime in seconds", (command) => {
    const definition = commandDefinition(command);
    expect(definition.timeFields).toEqual(messageTimeFields);
    const body: Record<string, unknown> = { ...definition.example, MsgTime: 1557481126 };
    delete body.EventTime;
    expect(subjectsOf(definition, body)).toMatchObject({ time: 1557481126000, timeField: 'MsgTime' });
    expect(subjectsOf(definition, { ...body, EventTime: 1557481126500 })).toMatchObject({ time: 1557481126500, timeField: EVENT_TIME });
  });
});
