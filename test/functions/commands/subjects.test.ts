import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { type Body, type CommandDefinition, defineFamily, subjectsOf } from '../../../functions/commands/definition.ts';
import { commandDefinition, commandRegistry } from '../../../functions/commands/registry.ts';
import { LATEST_TIME_MS } from '../../../functions/shared/latest-time.ts';

/**
 * How a body is read by its definition's roles (functions/commands/subjects.ts): what `--user`, the
 * record and the store's keys rest on. The families outside Group and State are families.test.ts's.
 */

const roles = (definition: CommandDefinition, body: Body) =>
  subjectsOf(definition, body)
    .accounts.map(({ role, account }) => `${role}=${account}`)
    .join(' ');

describe('the Group and State examples', () => {
  /** Each example's accounts by role, and who it is by (`user`: the actor, else the place's account). */
  const expected: Record<string, readonly [accounts: string, user: string | undefined]> = {
    'Group.CallbackBeforeCreateGroup': ['operator=leckie owner=leckie member=bob', 'leckie'],
    'Group.CallbackAfterCreateGroup': ['operator=group_root owner=leckie member=bob member=peter', 'group_root'],
    'Group.CallbackBeforeApplyJoinGroup': ['requestor=jared', 'jared'],
    'Group.CallbackBeforeInviteJoinGroup': ['operator=leckie invited=jared invited=tommy', 'leckie'],
    'Group.CallbackAfterNewMemberJoin': ['operator=leckie joined=jared joined=tommy', 'leckie'],
    'Group.CallbackAfterMemberExit': ['operator=leckie left=jared', 'leckie'],
    'Group.CallbackBeforeSendMsg': ['sender=jared operator=admin', 'jared'],
    'Group.CallbackAfterSendMsg': ['sender=jared operator=admin', 'jared'],
    'Group.CallbackAfterGroupFull': ['', undefined],
    'Group.CallbackAfterGroupDestroyed': ['owner=leckie member=leckie', 'leckie'],
    'Group.CallbackAfterGroupInfoChanged': ['operator=leckie', 'leckie'],
    'Group.CallbackOnMemberStateChange': ['member=jared', 'jared'],
    'Group.CallbackSendMsgException': ['sender=jared operator=admin', 'jared'],
    'Group.CallbackAfterRecallMsg': ['operator=admin', 'admin'],
    'Group.CallbackBeforeCreateTopic': ['operator=leckie', 'leckie'],
    'Group.CallbackAfterCreateTopic': ['operator=group_root owner=leckie', 'group_root'],
    'Group.CallbackAfterTopicDestroyed': ['', undefined],
    'Group.CallbackAfterTopicInfoChanged': ['operator=leckie', 'leckie'],
    'Group.CallbackAfterMemberFieldChanged': ['operator=admin member=123456', 'admin'],
    'Group.CallbackAfterGroupAttrChanged': ['operator=leckie', 'leckie'],
    'Group.CallbackAfterReadReceipt': ['reader=user0', 'user0'],
    'Group.CallbackAfterChangeGroupOwner': ['operator=admin oldOwner=user1 newOwner=user2', 'admin'],
    'Group.CallbackOnDailyGroupQuotaAlarm': ['', undefined],
    'Group.CallbackAfterGroupMsgExtension': ['', undefined],
    'Group.CallbackAfterModifyMsg': ['operator=oper-user', 'oper-user'],
    'State.StateChange': ['account=testuser316', 'testuser316'],
  };
  const definitions = [...commandRegistry.values()].filter((definition) => ['Group', 'State'].includes(definition.family));

  test('every definition has its expected subjects here, and nothing else does', () => {
    expect(Object.keys(expected).sort()).toEqual(definitions.map((definition) => definition.command).sort());
  });

  test.each(definitions)('$command', (definition) => {
    const { user } = subjectsOf(definition, definition.example);
    expect([roles(definition, definition.example), user]).toEqual(expected[definition.command]);
  });

  test('a group event has its group as its place, never an account', () => {
    const definition = commandDefinition('Group.CallbackAfterSendMsg');
    expect(subjectsOf(definition, definition.example)).toMatchObject({ groupId: '@TGS#2J4SZEAEL', groupIds: ['@TGS#2J4SZEAEL'], placeAccount: undefined });
  });

  test('a login is placed on its account, and by no one else', () => {
    const definition = commandDefinition('State.StateChange');
    expect(subjectsOf(definition, definition.example)).toMatchObject({ placeAccount: 'testuser316', actor: undefined, user: 'testuser316' });
  });
});

describe('roles', () => {
  const memberChanged = commandDefinition('Group.CallbackAfterMemberFieldChanged');

  test.each([
    ['Modified_Account (269/105353)', { Modified_Account: 'ann' }, 'member=ann'],
    ['Member_Account (1047/60393)', { Member_Account: 'ann' }, 'member=ann'],
    ['both, the same account once', { Modified_Account: 'ann', Member_Account: 'ann' }, 'member=ann'],
    ['both, two accounts', { Modified_Account: 'ann', Member_Account: 'bob' }, 'member=ann member=bob'],
  ])('the changed member is read under either spelling: %s', (_case, body, expected) => {
    expect(roles(memberChanged, { GroupId: 'g', ...body })).toBe(expected);
  });

  test('a member under either spelling is projected', () => {
    for (const field of ['Modified_Account', 'Member_Account']) {
      expect(memberChanged.projection!({ GroupId: 'g', [field]: 'ann', Role: 'Admin' }, {})).toEqual([
        { on: 'member', account: 'ann', set: { role: 'Admin' } },
      ]);
    }
  });

  test('readers are read from every message of a read receipt, each once', () => {
    const body = {
      GroupId: 'g',
      GroupMsgReceiptList: [
        { MsgSeq: 1, ReadReceiptMembers: [{ Member_Account: 'ann' }, { Member_Account: 'bob' }] },
        { MsgSeq: 2, ReadReceiptMembers: [{ Member_Account: 'ann' }, { Member_Account: 'cy' }] },
      ],
    };
    expect(roles(commandDefinition('Group.CallbackAfterReadReceipt'), body)).toBe('reader=ann reader=bob reader=cy');
  });

  test('an account in two roles is named in both', () => {
    expect(roles(commandDefinition('Group.CallbackAfterGroupDestroyed'), { Owner_Account: 'ann', MemberList: [{ Member_Account: 'ann' }] })).toBe(
      'owner=ann member=ann',
    );
  });

  test("roles come in the body's order, whatever order the definition declares them in", () => {
    const definition = commandDefinition('C2C.CallbackAfterSendMsg');
    expect(roles(definition, { To_Account: 'bob', From_Account: 'ann' })).toBe('receiver=bob sender=ann');
    expect(roles(definition, { From_Account: 'ann', To_Account: 'bob' })).toBe('sender=ann receiver=bob');
  });

  test('empty strings and other types are no account, and lose nothing else', () => {
    const definition = commandDefinition('Group.CallbackAfterNewMemberJoin');
    const body = {
      GroupId: 'g',
      Operator_Account: '',
      NewMemberList: [{ Member_Account: 7.5 }, { Member_Account: true }, { Member_Account: 'ann' }, 'bob', null, { Member_Account: 2 ** 60 }],
    };
    expect(subjectsOf(definition, body)).toMatchObject({ groupId: 'g', accounts: [{ role: 'joined', account: 'ann' }], actor: undefined, user: undefined });
  });

  test('a whole number is an account by its decimal text, as the Live, Room and Call samples send ids (docs/protocol.md#big-integers)', () => {
    const body = {
      RoomId: 'r',
      EventType: 'Online',
      MemberList: [{ Member_Account: 10001 }, { Member_Account: '144115233775727695' }, { Member_Account: 'ann' }],
    };
    expect(roles(commandDefinition('Live.CallbackAfterMemberStateChanged'), body)).toBe('member=10001 member=144115233775727695 member=ann');
  });

  test('a list of many accounts is read whole, each once', () => {
    const members = Array.from({ length: 5000 }, (_, index) => ({ Member_Account: `u${index % 2500}` }));
    const { accounts } = subjectsOf(commandDefinition('Group.CallbackAfterNewMemberJoin'), { NewMemberList: members });
    expect(accounts).toHaveLength(2500);
  });

  test('an unknown command is read as a group event would be, by its sender and operator', () => {
    const body = { GroupId: 'g', Type: 'AVChatRoom', From_Account: 'ann', Operator_Account: 'admin' };
    expect(subjectsOf(commandDefinition('Group.CallbackAfterSomethingNew'), body)).toMatchObject({
      groupId: 'g',
      accounts: [
        { role: 'sender', account: 'ann' },
        { role: 'operator', account: 'admin' },
      ],
      actor: 'ann',
      busy: true,
      user: 'ann',
    });
  });
});

describe('busy groups', () => {
  const sent = commandDefinition('Group.CallbackAfterSendMsg');

  test.each([
    ['AVChatRoom', true],
    ['Live', true],
    ['Public', false],
    ['avchatroom', false],
  ])('a group message with Type %s: busy %s', (type, busy) => {
    expect(subjectsOf(sent, { GroupId: 'g', Type: type }).busy).toBe(busy);
  });

  test('only a group is busy: a live room type without a group is not', () => {
    expect(subjectsOf(sent, { Type: 'AVChatRoom' }).busy).toBe(false);
  });

  test("a live room's member state is always busy", () => {
    expect(subjectsOf(commandDefinition('Group.CallbackOnMemberStateChange'), { GroupId: 'g' }).busy).toBe(true);
  });
});

describe('time', () => {
  const c2c = commandDefinition('C2C.CallbackAfterSendMsg');

  test.each([
    ['EventTime as digits', { EventTime: '1670574414123', MsgTime: 1 }, 1670574414123, 'EventTime'],
    ['MsgTime when EventTime is absent', { MsgTime: 1557481126 }, 1557481126000, 'MsgTime'],
    ['MsgTime when EventTime is garbled', { EventTime: 'yesterday', MsgTime: '1557481126' }, 1557481126000, 'MsgTime'],
    ['MsgTime when EventTime is beyond year 9999', { EventTime: LATEST_TIME_MS + 1, MsgTime: 1557481126 }, 1557481126000, 'MsgTime'],
    ['nothing when MsgTime in seconds is beyond year 9999', { MsgTime: Math.floor(LATEST_TIME_MS / 1000) + 1 }, undefined, undefined],
    ['nothing from a fraction', { MsgTime: 1.5 }, undefined, undefined],
    ['nothing from a negative time', { EventTime: -1 }, undefined, undefined],
    ['nothing from neither', {}, undefined, undefined],
  ])('%s', (_case, body, time, timeField) => {
    const subjects = subjectsOf(c2c, body);
    expect([subjects.time, subjects.timeField]).toEqual([time, timeField]);
  });

  test("a push's EventTime counts seconds", () => {
    expect(subjectsOf(commandDefinition('Push.AllMemberPush'), { EventTime: 1557481128 })).toMatchObject({ time: 1557481128000, timeField: 'EventTime' });
  });

  test("a read report's LastReadTime is no time of the report", () => {
    expect(subjectsOf(commandDefinition('C2C.CallbackAfterMsgReport'), { LastReadTime: 1614754606 }).time).toBeUndefined();
  });
});

describe('defineFamily refuses, when the registry loads, a definition whose subjects cannot be read', () => {
  const family = defineFamily({ family: 'Test', fields: { From_Account: v.optional(v.string()) }, subjects: { accounts: { sender: 'From_Account' } } });
  const spec = { summary: 'A test', sources: ['example.com/page'], fields: {}, example: {} };

  test.each([
    ['a place that is no role', { place: 'receiver' }, /receiver is not one of its roles/],
    ['an actor that is no role', { actor: 'operator' }, /operator is not one of its roles/],
    ['a path that is none', { accounts: { receiver: 'To_Account[0]' } }, /To_Account\[0\] is not a field path/],
  ])('%s', (_case, subjects, message) => {
    expect(() => family.after('Test.Thing', { ...spec, subjects })).toThrow(message);
  });

  test('a record field named as a role', () => {
    expect(() => family.after('Test.Thing', { ...spec, recordFields: { sender: 'From_Account' } })).toThrow(/sender is a role/);
  });

  test("a command's roles add to its family's; its place and actor override them", () => {
    const definition = family.after('Test.Thing', { ...spec, subjects: { accounts: { receiver: 'To_Account' }, place: 'receiver', actor: 'sender' } });
    expect(definition.subjects).toEqual({ accounts: { sender: 'From_Account', receiver: 'To_Account' }, place: 'receiver', actor: 'sender' });
  });
});
