import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { type Body, type CommandDefinition, type Subjects, subjectsOf } from '../../../functions/commands/definition.ts';
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
});

describe('subjects', () => {
  /** What each example is about (the subjects each family's section of docs/protocol.md names). */
  const expected: Record<string, Subjects> = {
    'C2C.CallbackAfterC2CMsgExtension': { user: 'user1' },
    'C2C.CallbackBeforeSendMsg': { user: 'jared' },
    'C2C.CallbackAfterSendMsg': { user: 'jared' },
    'C2C.CallbackAfterMsgReport': { user: 'jared' },
    'C2C.CallbackAfterMsgWithDraw': { user: 'jared' },
    'C2C.CallbackAfterMsgReadReceipt': { user: 'jared' },
    'C2C.CallbackAfterModifyMsg': { user: 'jared' },
    'C2C.CallbackAfterMsgReadAll': { user: 'Jonh' },
    'Profile.CallbackPortraitSet': { user: 'id1' },
    'Sns.CallbackPrevFriendAdd': { user: 'id' },
    'Sns.CallbackPrevFriendResponse': { user: 'id' },
    'Sns.CallbackFriendAdd': { user: 'id' },
    'Sns.CallbackFriendDelete': { user: 'id' },
    'Sns.CallbackBlackListAdd': { user: 'id' },
    'Sns.CallbackBlackListDelete': { user: 'id' },
    'Follow.CallbackAfterFollowAdd': { user: 'UserID_001' },
    'Follow.CallbackAfterFollowDelete': { user: 'UserID_001' },
    'OfficialAccount.CallbackBeforeCreateOfficialAccount': { user: '107867' },
    'OfficialAccount.CallbackAfterCreateOfficialAccount': { user: '@TOA#_test_OA_for_penn' },
    'OfficialAccount.CallbackAfterOfficialAccountInfoChanged': { user: '@TOA#_test_OA_for_penn' },
    'OfficialAccount.CallbackAfterOfficialAccountDestroyed': { user: '@TOA#_test_OA_for_penn' },
    'OfficialAccount.CallbackBeforeAddSubscriber': { user: '@TOA#_test_for_penn' },
    'OfficialAccount.CallbackAfterAddSubscriber': { user: '@TOA#_test_for_penn' },
    'OfficialAccount.CallbackAfterOfficialAccountFull': { user: '@TOA#_test_for_penn' },
    'OfficialAccount.CallbackAfterDeleteSubscriber': { user: '@TOA#_test_OA_for_penn' },
    'OfficialAccount.CallbackBeforeSendMsg': { user: '@TOA#_2J4SZEAEL' },
    'OfficialAccount.CallbackAfterSendMsg': { user: '@TOA#_2J4SZEAEL' },
    'OfficialAccount.CallbackAfterMsgWithDraw': { user: '#TOA#_123' },
    'Bot.OnC2CMessage': { user: 'jared' },
    'Bot.OnGroupMessage': { groupId: '@TGS#2J4SZEAEL', user: 'jared' },
    'Chatbot.OnC2CSignalMessage': { user: 'user01' },
    'Push.OfflinePush': { user: 'user2' },
    'Push.AllMemberPush': { user: 'user2' },
    // About the app's traffic, not about anyone.
    'Alert.RequestOverLimit': {},
    'ContentCallback.ResultNotify': { user: 'jared' },
  };

  test('every definition has its expected subjects here, and nothing else does', () => {
    expect(Object.keys(expected).sort()).toEqual(definitions.map((definition) => definition.command).sort());
  });

  test.each(definitions)('$command: read from each event of its example', (definition) => {
    for (const event of eventsOf(definition)) expect(subjectsOf(definition, event)).toEqual(expected[definition.command]);
  });

  test.each([
    [
      'the responding user, not the requester',
      'Sns.CallbackPrevFriendAdd',
      { Requester_Account: 'admin', From_Account: 'id', FriendItem: [{ To_Account: 'id1' }] },
      { user: 'id' },
    ],
    [
      'the first pair of a relation list',
      'Sns.CallbackFriendDelete',
      {
        PairList: [
          { From_Account: 'a', To_Account: 'b' },
          { From_Account: 'c', To_Account: 'd' },
        ],
      },
      { user: 'a' },
    ],
    [
      'the future owner of an account not yet created',
      'OfficialAccount.CallbackBeforeCreateOfficialAccount',
      { Operator_Account: 'admin', Owner_Account: 'owner' },
      { user: 'owner' },
    ],
    ['the user reporting the read, not the peer', 'C2C.CallbackAfterMsgReport', { Report_Account: 'reader', Peer_Account: 'peer' }, { user: 'reader' }],
    ['the sender of a read receipt', 'C2C.CallbackAfterMsgReadReceipt', { Operator_Account: 'reader', Peer_Account: 'peer' }, { user: 'reader' }],
    [
      'the group of a moderated group message',
      'ContentCallback.ResultNotify',
      { Scene: 'Group', From_Account: 'jared', ContactItem: { ContactType: 2, ToGroupId: '@TGS#1' } },
      { groupId: '@TGS#1', user: 'jared' },
    ],
  ] as const)('%s (%s)', (_, command, body, subjects) => {
    expect(subjectsOf(commandDefinition(command), body)).toEqual(subjects);
  });

  test("a group push's group, by its capital-ID GroupID", () => {
    const event = { CallbackCommand: 'Push.OfflinePush', EventType: 2, GroupID: '@TGS#2', To_Account: 'user2', EventTime: 1557481127 };
    expect(subjectsOf(commandDefinition('Push.OfflinePush'), event)).toEqual({ groupId: '@TGS#2', user: 'user2' });
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

describe('batches', () => {
  test.each(ofFamily('Push'))('$command is a batch of Events, EventTime in seconds', (definition) => {
    expect(definition.batch).toEqual({ list: 'Events' });
    expect(definition.eventTimeUnit).toBe('s');
    // The schema describes one element: the whole body is not an event.
    expect(entriesOf(definition)).not.toHaveProperty('Events');
  });

  test('every other definition is one event, EventTime in milliseconds', () => {
    for (const definition of definitions.filter((candidate) => candidate.family !== 'Push')) {
      expect(definition.batch).toBeUndefined();
      expect(definition.eventTimeUnit).toBe('ms');
    }
  });
});
