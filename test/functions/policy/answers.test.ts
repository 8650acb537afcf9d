import { describe, expect, test } from '@jest/globals';
import { commandDefinition, commandRegistry } from '../../../functions/commands/registry.ts';
import { answerFor } from '../../../functions/policy/answer.ts';
import { allow } from '../../../functions/policy/decision.ts';
import { answerWith, chatCreate, chatSend, clubInvite, compileRules, custom, palsAdd, text } from './test-families.ts';

/**
 * Each action and its answer against Tencent's documented formats (docs/protocol.md#group-answers,
 * docs/protocol.md#c2c-answers, docs/protocol.md#sns-answers, docs/protocol.md#official-account), on the Group definitions and the tests' own families.
 */
const groupSend = commandDefinition('Group.CallbackBeforeSendMsg');
const groupInvite = commandDefinition('Group.CallbackBeforeInviteJoinGroup');
const groupTopic = commandDefinition('Group.CallbackBeforeCreateTopic');
const TEXT = 'MsgBody[].MsgContent.Text';
const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

describe('allow', () => {
  test.each(
    [...commandRegistry.values()].filter((definition) => definition.kind === 'before' && !definition.answers?.perItem).map((d) => [d.command, d] as const),
  )('%s with no rules: OK, ErrorCode 0, nothing else', (_, definition) => {
    expect(answerWith()(definition, definition.example)).toEqual(OK);
  });
});

describe('refuse', () => {
  test('the code and the info, as written', () => {
    const answer = answerWith({ command: groupTopic.command, field: 'Name', in: ['spam'], refuse: { code: 10150, info: 'no spam' } });
    expect(answer(groupTopic, { Name: 'spam' })).toEqual({ ActionStatus: 'OK', ErrorCode: 10150, ErrorInfo: 'no spam' });
  });

  test('a C2C-like family refuses with its own range', () => {
    const answer = answerWith({ command: chatSend.command, field: TEXT, containsAny: ['darn'], refuse: { code: 120001, info: 'language' } });
    expect(answer(chatSend, { MsgBody: [text('oh DARN')] })).toEqual({ ActionStatus: 'OK', ErrorCode: 120001, ErrorInfo: 'language' });
  });

  test('the decision names the rule', () => {
    const decide = compileRules(
      { command: groupTopic.command, field: 'Name', in: ['x'], refuse: { code: 1 } },
      { command: groupTopic.command, field: 'Name', in: ['spam'], refuse: { code: 10101, info: 'i' } },
    );
    expect(decide(groupTopic, { Name: 'spam' })).toEqual({ action: 'refuse', code: 10101, info: 'i', rule: 1 });
  });
});

describe('drop', () => {
  test('ErrorCode 2: the message is dropped silently', () => {
    const answer = answerWith({ command: [groupSend.command, chatSend.command], field: TEXT, pattern: 'https?://spam\\.example', drop: true });
    const body = { MsgBody: [text('see http://spam.example/x')] };
    expect(answer(groupSend, body)).toEqual({ ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' });
    expect(answer(chatSend, body)).toEqual({ ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' });
    expect(answer(chatSend, { MsgBody: [text('see https://example.com')] })).toEqual(OK);
  });
});

describe('mask (rewrite)', () => {
  const answer = answerWith({ command: groupSend.command, field: TEXT, containsAny: ['darn', 'heck'], mask: '*' });

  test('ErrorCode 0 with the whole rewritten MsgBody: other elements untouched, in order', () => {
    const body = {
      ...groupSend.example,
      MsgBody: [text('Darn it'), custom('darn'), { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'x' } }, text('what the ＨＥＣＫ, 😀 darn😀')],
    };
    expect(answer(groupSend, body)).toEqual({
      ...OK,
      MsgBody: [text('**** it'), custom('darn'), { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'x' } }, text('what the ****, 😀 ****😀')],
    });
  });

  test('nothing matched: no MsgBody in the answer', () => {
    expect(answer(groupSend, { MsgBody: [text('all fine'), custom('darn')] })).toEqual(OK);
    expect(compileRules({ command: groupSend.command, field: TEXT, containsAny: ['darn'], mask: '*' })(groupSend, { MsgBody: [text('fine')] })).toEqual(allow);
  });

  test('the request body is not changed', () => {
    const body = { MsgBody: [text('darn')] };
    answer(groupSend, body);
    expect(body).toEqual({ MsgBody: [text('darn')] });
  });

  test('a match is replaced by as many mask characters as it has code points', () => {
    const byPattern = answerWith({ command: groupSend.command, field: TEXT, pattern: '😀+|话题', mask: '#' });
    expect(byPattern(groupSend, { MsgBody: [text('a😀😀b话题c')] }).MsgBody).toEqual([text('a##b##c')]);
    // ß folds to ss: a word "ss" masks the one character it came from.
    const folded = answerWith({ command: groupSend.command, field: TEXT, containsAny: ['strasse'], mask: '*' });
    expect(folded(groupSend, { MsgBody: [text('Straße!')] }).MsgBody).toEqual([text('******!')]);
  });

  test('every matching mask applies, in rule order; the decision lists them', () => {
    const decide = compileRules(
      { command: groupSend.command, field: TEXT, containsAny: ['bad'], mask: '*' },
      { command: groupSend.command, field: TEXT, pattern: '\\d{4,}', mask: '#' },
      { command: groupSend.command, field: TEXT, containsAny: ['never'], mask: '?' },
      { command: groupSend.command, field: TEXT, pattern: 'bad1', mask: '%' },
    );
    expect(decide(groupSend, { MsgBody: [text('bad 12345 bad1')] })).toEqual({
      action: 'rewrite',
      field: 'MsgBody',
      value: [text('*** ##### %%%%')],
      rules: [0, 1, 3],
    });
  });

  test('other matchers say which texts are masked', () => {
    const only = answerWith({ command: groupSend.command, field: TEXT, containsAny: ['darn'], maxLength: 10, mask: '*' });
    expect(only(groupSend, { MsgBody: [text('darn'), text('darn, a long text')] }).MsgBody).toEqual([text('darn'), text('****, a long text')]);
  });
});

describe('refuseMembers', () => {
  test('ErrorCode 0 with RefusedMembers_Account: the matching accounts, in request order', () => {
    const answer = answerWith(
      { command: groupInvite.command, field: 'DestinationMembers[].Member_Account', in: ['tommy', 'bob'], refuseMembers: true },
      { command: groupInvite.command, field: 'DestinationMembers[].Member_Account', pattern: '^bot_', refuseMembers: true },
    );
    const body = { ...groupInvite.example, DestinationMembers: ['bob', 'jared', 'bot_1', 'tommy', 'bob'].map((Member_Account) => ({ Member_Account })) };
    expect(answer(groupInvite, body)).toEqual({ ...OK, RefusedMembers_Account: ['bob', 'bot_1', 'tommy'] });
    expect(answer(groupInvite, groupInvite.example)).toEqual({ ...OK, RefusedMembers_Account: ['tommy'] });
    expect(answer(groupInvite, { DestinationMembers: [{ Member_Account: 'jared' }] })).toEqual(OK);
  });

  test("the answer field is the definition's (RefusedSubscribers_Account), and a field inside the list refuses its element's account", () => {
    const answer = answerWith({ command: clubInvite.command, field: 'Members[].Role', in: ['spammer'], refuseMembers: true });
    const body = { Members: [{ Member_Account: 'a', Role: 'spammer' }, { Member_Account: 'b' }, { Member_Account: 'c', Role: 'spammer' }] };
    expect(answer(clubInvite, body)).toEqual({ ...OK, RefusedSubscribers_Account: ['a', 'c'] });
  });

  test('a refuse rule still refuses the whole invitation first', () => {
    const decide = compileRules(
      { command: groupInvite.command, field: 'DestinationMembers[].Member_Account', in: ['tommy'], refuseMembers: true },
      { command: groupInvite.command, field: 'Operator_Account', in: ['leckie'], refuse: { code: 10101 } },
    );
    expect(decide(groupInvite, groupInvite.example)).toEqual({ action: 'refuse', code: 10101, info: '', rule: 1 });
  });
});

describe('perItem (ResultItem)', () => {
  const friends = (...accounts: string[]) => ({
    From_Account: 'jared',
    FriendItem: accounts.map((To_Account) => ({ To_Account, AddWording: `hi ${To_Account}` })),
  });

  test('allow: ResultCode 0 for every item, since Tencent requires ResultItem', () => {
    expect(answerWith()(palsAdd, friends('a', 'b'))).toEqual({
      ...OK,
      ResultItem: [
        { To_Account: 'a', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'b', ResultCode: 0, ResultInfo: '' },
      ],
    });
    expect(answerFor(palsAdd, {}, allow)).toEqual({ ...OK, ResultItem: [] });
  });

  test('a rule inside the list refuses only the items it matched', () => {
    const answer = answerWith({ command: palsAdd.command, field: 'FriendItem[].To_Account', in: ['b'], refuse: { code: 38001, info: 'blocked' } });
    expect(answer(palsAdd, friends('a', 'b', 'c'))).toEqual({
      ...OK,
      ResultItem: [
        { To_Account: 'a', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'b', ResultCode: 38001, ResultInfo: 'blocked' },
        { To_Account: 'c', ResultCode: 0, ResultInfo: '' },
      ],
    });
  });

  test('a rule on another field refuses every item; each item keeps the first rule that refused it', () => {
    const decide = compileRules(
      { command: palsAdd.command, field: 'FriendItem[].AddWording', containsAny: ['HI B'], refuse: { code: 38002, info: 'wording' } },
      { command: palsAdd.command, field: 'From_Account', in: ['jared'], refuse: { code: 38003, info: 'sender' } },
    );
    expect(decide(palsAdd, friends('a', 'b'))).toEqual({
      action: 'perItem',
      items: [
        { account: 'a', code: 38003, info: 'sender' },
        { account: 'b', code: 38002, info: 'wording' },
      ],
      rules: [0, 1],
    });
    expect(decide(palsAdd, { ...friends('a'), From_Account: 'leckie' })).toEqual(allow);
  });
});

describe('order and scope', () => {
  test('the first refuse or drop rule decides, before any mask', () => {
    const decide = compileRules(
      { command: groupSend.command, field: TEXT, containsAny: ['darn'], mask: '*' },
      { command: groupSend.command, field: TEXT, containsAny: ['spam'], drop: true },
      { command: groupSend.command, field: TEXT, containsAny: ['spam'], refuse: { code: 10101 } },
    );
    expect(decide(groupSend, { MsgBody: [text('darn spam')] })).toEqual({ action: 'drop', rule: 1 });
    expect(decide(groupSend, { MsgBody: [text('darn')] })).toMatchObject({ action: 'rewrite', rules: [0] });
  });

  test('a rule naming several commands applies to each, and to no other', () => {
    const decide = compileRules({ command: [groupTopic.command, chatCreate.command], field: 'Name', in: ['x'], refuse: { code: 1 } });
    expect(decide(groupTopic, { Name: 'x' })).toMatchObject({ action: 'refuse' });
    expect(decide(chatCreate, { Name: 'x' })).toMatchObject({ action: 'refuse' });
    expect(decide(commandDefinition('Group.CallbackBeforeCreateGroup'), { Name: 'x' })).toEqual(allow);
    expect(decide(commandDefinition('Group.CallbackAfterCreateGroup'), { Name: 'x' })).toEqual(allow);
  });
});

describe('every before-command of the registry', () => {
  const before = [...commandRegistry.values()].filter((definition) => definition.kind === 'before');

  test('a per-item command answers ResultItem for every item of its example, allowed', () => {
    for (const definition of before.filter((d) => d.answers?.perItem !== undefined)) {
      const { list, answerField } = definition.answers!.perItem!;
      const items = (definition.example[list] as unknown[] | undefined) ?? [];
      const answer = answerWith()(definition, definition.example);
      expect(answer[answerField]).toHaveLength(items.length);
      expect((answer[answerField] as { ResultCode: number }[]).every((item) => item.ResultCode === 0)).toBe(true);
    }
  });

  test("refuses with each end of its family's refusal codes, in Tencent's shape", () => {
    for (const definition of before.filter((d) => (d.answers?.refusalCodes.length ?? 0) > 0 && d.answers?.perItem === undefined)) {
      for (const { min, max } of definition.answers!.refusalCodes) {
        for (const code of [min, max]) {
          const answer = answerWith({ command: definition.command, field: 'CallbackCommand', in: [definition.command], refuse: { code, info: 'no' } });
          expect(answer(definition, definition.example)).toEqual({ ActionStatus: 'OK', ErrorCode: code, ErrorInfo: 'no' });
        }
      }
    }
  });
});
