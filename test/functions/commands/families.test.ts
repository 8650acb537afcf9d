import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { type Body, type CommandDefinition, EVENT_TIME, messageTimeFields, subjectsOf } from '../../../functions/commands/definition.ts';
import { readPath } from '../../../functions/commands/field-path.ts';
import { commandDefinition, commandRegistry } from '../../../functions/commands/registry.ts';

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

describe('answers', () => {
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
