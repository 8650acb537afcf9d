import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import { answerFor } from '../../../functions/policy/answer.ts';
import { actingOf } from '../../../functions/policy/decision.ts';
import { compilePolicy } from '../../../functions/policy/policy.ts';
import { type Policy, PolicySchema } from '../../../functions/policy/policy-schema.ts';
import { maxRuleDimensions } from '../../../functions/policy/rule-dimension.ts';
import { clubInvite, palsAdd, problemsOf, TestPolicySchema, text } from './test-families.ts';

/** Shadow rules, rule ids and exemptions (`unless`): docs/policy.md#shadow-rules, docs/policy.md#unless. */
const SEND = commandDefinition('Group.CallbackBeforeSendMsg');
const TOPIC = commandDefinition('Group.CallbackBeforeCreateTopic');
const TEXT = 'MsgBody[].MsgContent.Text';
const compile = (rules: unknown[], options = {}) => compilePolicy(v.parse(PolicySchema, { rules }), options);
const message = (words: string, from = 'jared') => ({ GroupId: '@TGS#1', From_Account: from, MsgBody: [text(words)] });

describe('rule ids', () => {
  test('given, or the rule’s place; the decision names the rule by both, with its body', () => {
    const policy = compile([
      { command: TOPIC.command, field: 'Name', in: ['a'], refuse: { code: 10101, info: 'a' } },
      { id: 'no-spam', command: TOPIC.command, field: 'Name', in: ['spam'], refuse: { code: 10102, info: 'spam' } },
    ]);
    expect(policy.rules.map(({ id }) => id)).toEqual(['0', 'no-spam']);
    const decision = policy(TOPIC, { Name: 'spam' });
    expect(actingOf(decision)).toEqual({ action: 'refuse', code: 10102, info: 'spam', rule: 1 });
    expect(decision.matched).toEqual([
      {
        id: 'no-spam',
        index: 1,
        dimension: 'no-spam',
        rule: { id: 'no-spam', command: TOPIC.command, field: 'Name', in: ['spam'], refuse: { code: 10102, info: 'spam' } },
      },
    ]);
    expect(decision.evaluated).toEqual(['0', 'no-spam']);
  });

  test('two rules with one id are refused, naming both', () => {
    const problems = problemsOf({
      rules: [
        { command: TOPIC.command, field: 'Name', in: ['a'], refuse: { code: 10101 } },
        { id: '0', command: TOPIC.command, field: 'Name', in: ['b'], refuse: { code: 10101 } },
      ],
    });
    expect(problems).toContain(`rules.1.id: id "0" is rule 0's already: ids name one rule each (rule 1)`);
  });

  test('an id is a plain word: it is a metric dimension', () => {
    expect(problemsOf({ rules: [{ id: 'no spam!', command: TOPIC.command, field: 'Name', in: ['a'], refuse: { code: 10101 } }] })).toContain(
      'rules.0.id: id must be 1–64 letters, digits or _ . : -',
    );
  });

  test('a long word list is shown cut in the decision, whole in the policy', () => {
    const words = Array.from({ length: 1_000 }, (_, index) => `w${index}`);
    const decision = compile([{ command: SEND.command, field: TEXT, containsAny: words, drop: true }])(SEND, message('say w999'));
    expect(decision.matched?.[0]?.rule.containsAny).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', '… 995 more']);
  });

  test(`metric dimensions: the first ${maxRuleDimensions} rules by id, the rest as "other"`, () => {
    const rules = Array.from({ length: maxRuleDimensions + 2 }, (_, index) => ({
      command: TOPIC.command,
      field: 'Name',
      in: [`n${index}`],
      refuse: { code: 10101 },
    }));
    const policy = compile(rules);
    expect(policy(TOPIC, { Name: `n${maxRuleDimensions - 1}` }).matched?.[0]?.dimension).toBe(String(maxRuleDimensions - 1));
    expect(policy(TOPIC, { Name: `n${maxRuleDimensions + 1}` }).matched?.[0]).toMatchObject({ id: String(maxRuleDimensions + 1), dimension: 'other' });
    expect(new Set(policy(TOPIC, { Name: 'x' }).evaluated)).toEqual(
      new Set([...Array.from({ length: maxRuleDimensions }, (_, index) => String(index)), 'other']),
    );
  });
});

describe('shadow rules', () => {
  const rules = [
    { id: 'links', mode: 'shadow', command: SEND.command, field: TEXT, pattern: 'https?://', drop: true },
    { id: 'words', mode: 'shadow', command: SEND.command, field: TEXT, containsAny: ['darn'], mask: '*' },
    { id: 'spam', command: SEND.command, field: TEXT, containsAny: ['spam'], refuse: { code: 10101, info: 'spam' } },
    { id: 'refuse-jared', mode: 'shadow', command: SEND.command, field: 'From_Account', in: ['jared'], refuse: { code: 10150, info: 'jared' } },
  ];

  test('never change the answer: a message every shadow rule matches is allowed', () => {
    const policy = compile(rules);
    const body = message('darn, see http://x');
    const decision = policy(SEND, body);
    expect(actingOf(decision)).toEqual({ action: 'allow' });
    expect(answerFor(SEND, body, decision)).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(decision.shadow?.map(({ rule, would }) => [rule.id, actingOf(would)])).toEqual([
      ['links', { action: 'drop', rule: 0 }],
      ['words', { action: 'rewrite', field: 'MsgBody', value: [text('****, see http://x')], rules: [1] }],
      ['refuse-jared', { action: 'refuse', code: 10150, info: 'jared', rule: 3 }],
    ]);
  });

  test('the first acting rule decides, whatever shadow rules come before it; they are still recorded', () => {
    const decision = compile(rules)(SEND, message('spam http://x'));
    expect(actingOf(decision)).toEqual({ action: 'refuse', code: 10101, info: 'spam', rule: 2 });
    expect(decision.shadow?.map(({ rule }) => rule.id)).toEqual(['links', 'refuse-jared']);
  });

  test('a shadow rule that does not match is not recorded', () => {
    const decision = compile(rules)(SEND, message('hello', 'leckie'));
    expect(decision.shadow).toBeUndefined();
    expect(decision.evaluated).toEqual(['links', 'words', 'spam', 'refuse-jared']);
  });

  test('shadow refuseMembers and per-item rules say whom they would refuse', () => {
    const policy = compilePolicy(
      v.parse(TestPolicySchema, {
        rules: [
          { id: 'bots', mode: 'shadow', command: clubInvite.command, field: 'Members[].Member_Account', pattern: '^bot_', refuseMembers: true },
          { id: 'blocked', mode: 'shadow', command: palsAdd.command, field: 'FriendItem[].To_Account', in: ['b'], refuse: { code: 38001, info: 'no' } },
        ],
      }) as Policy,
    );
    const invite = policy(clubInvite, { Members: [{ Member_Account: 'bot_1' }, { Member_Account: 'ann' }] });
    expect(actingOf(invite)).toEqual({ action: 'allow' });
    expect(invite.shadow?.map(({ would }) => actingOf(would))).toEqual([{ action: 'refuseMembers', accounts: ['bot_1'], rules: [0] }]);
    const friends = policy(palsAdd, { FriendItem: [{ To_Account: 'a' }, { To_Account: 'b' }] });
    expect(actingOf(friends)).toEqual({ action: 'allow' });
    expect(friends.shadow?.[0]?.would).toMatchObject({
      action: 'perItem',
      items: [
        { account: 'a', code: 0 },
        { account: 'b', code: 38001 },
      ],
    });
  });

  test('past the deadline, shadow rules are skipped and counted: the acting answer stands', () => {
    let time = 0;
    // Each look at the clock takes 10 ms: the acting rule fits in a 25 ms deadline, the shadow rule after it does not.
    const policy = compile(
      [
        { command: TOPIC.command, field: 'Name', in: ['spam'], refuse: { code: 10101, info: 'spam' } },
        { id: 'late', mode: 'shadow', command: TOPIC.command, field: 'Name', maxLength: 1, refuse: { code: 10102 } },
      ],
      { deadlineMs: 25, now: () => (time += 10) },
    );
    const decision = policy(TOPIC, { Name: 'spam' });
    expect(actingOf(decision)).toEqual({ action: 'refuse', code: 10101, info: 'spam', rule: 0 });
    expect(decision.shadowSkipped).toBe(1);
    expect(decision.shadow).toBeUndefined();
  });
});

describe('unless: exemptions', () => {
  const rules = [
    {
      command: SEND.command,
      field: TEXT,
      containsAny: ['http'],
      unless: [
        { field: 'From_Account', in: ['admin', 'owner'] },
        { field: 'GroupId', pattern: '^@TGS#news' },
      ],
      drop: true,
    },
    { command: SEND.command, field: TEXT, containsAny: ['darn'], unless: [{ field: 'From_Account', containsAny: ['MOD'] }], mask: '*' },
  ];
  const policy = compile(rules);

  test.each([
    ['a member', message('http://x'), { action: 'drop', rule: 0 }],
    ['an admin', message('http://x', 'admin'), { action: 'allow' }],
    ['in a news group', { ...message('http://x'), GroupId: '@TGS#news-1' }, { action: 'allow' }],
    ['a moderator (folded words in an exemption)', message('darn', 'ｍｏｄ_ann'), { action: 'allow' }],
    ['a member masked', message('darn'), { action: 'rewrite', field: 'MsgBody', value: [text('****')], rules: [1] }],
  ])('%s', (_, body, expected) => {
    expect(actingOf(policy(SEND, body))).toEqual(expected);
  });

  test('an exemption on a refuseMembers rule spares the whole invitation', () => {
    const invite = commandDefinition('Group.CallbackBeforeInviteJoinGroup');
    const members = compile([
      {
        command: invite.command,
        field: 'DestinationMembers[].Member_Account',
        pattern: '^bot_',
        unless: [{ field: 'Operator_Account', in: ['owner'] }],
        refuseMembers: true,
      },
    ]);
    const body = (operator: string) => ({ GroupId: '@TGS#1', Operator_Account: operator, DestinationMembers: [{ Member_Account: 'bot_1' }] });
    expect(actingOf(members(invite, body('ann')))).toEqual({ action: 'refuseMembers', accounts: ['bot_1'], rules: [0] });
    expect(actingOf(members(invite, body('owner')))).toEqual({ action: 'allow' });
  });

  test('checked at load against the command’s schema, like field', () => {
    const problems = problemsOf({ rules: [{ ...rules[0], unless: [{ field: 'From_Acount', in: ['admin'] }, { field: 'GroupId' }] }] });
    expect(problems).toContain(`rules.0.unless.0.field: field "From_Acount" is not in Group.CallbackBeforeSendMsg's body (rule 0)`);
    expect(problems).toContain('an unless entry needs a field and at least one matcher');
  });
});
