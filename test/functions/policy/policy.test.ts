import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import { answerFor } from '../../../functions/policy/answer.ts';
import { compilePolicy } from '../../../functions/policy/policy.ts';
import { allowEverything, type Policy, PolicySchema, policyCommands } from '../../../functions/policy/policy-schema.ts';
import { testPolicyOptions } from '../../support/test-settings.ts';

/**
 * The first edition of the policy (one command, a top-level field, in/notIn/maxLength/pattern,
 * refuse), as it was tested before the second: each decision is read back as the answer's code and
 * info, which is all the first edition could say.
 */
const allow = { code: 0, info: '' };
const compileFirstEdition = (policy: Policy) => {
  const decide = compilePolicy(policy, testPolicyOptions);
  return (command: string, body: Record<string, unknown>) => {
    const definition = commandDefinition(command);
    const answer = answerFor(definition, body, decide(definition, body));
    return { code: answer.ErrorCode as number, info: answer.ErrorInfo as string };
  };
};

const BEFORE = 'Group.CallbackBeforeCreateTopic';
const policyCommandNames = policyCommands.map((definition) => definition.command).join(', ');

/** The example policy of the issue, as an operator would write it in cdk.json or IM_POLICY. */
const issuePolicyText =
  '{"rules":[{"command":"Group.CallbackBeforeCreateTopic","field":"Operator_Account","in":["spammer"],"refuse":{"code":10101,"info":"operator not allowed"}},{"command":"Group.CallbackBeforeCreateTopic","field":"Name","maxLength":50,"refuse":{"code":1,"info":"name too long"}}]}';

/** A rule for the before-callback with the given matchers, refusing with 10101. */
const rule = (matchers: Record<string, unknown>, field = 'Name', refuse: Record<string, unknown> = { code: 10101, info: 'refused' }) => ({
  command: BEFORE,
  field,
  ...matchers,
  refuse,
});

/** Validates the rules as the settings do, then compiles them. */
const decide = (...rules: unknown[]) => compileFirstEdition(v.parse(PolicySchema, { rules }));

const refused = { code: 10101, info: 'refused' };

/** Every message of a failed parse, for asserting on what the operator is told. */
const problemsOf = (policy: unknown) => {
  const result = v.safeParse(PolicySchema, policy);
  expect(result.success).toBe(false);
  return (result.issues ?? []).map((issue) => issue.message).join('\n');
};

describe("the issue's example policy", () => {
  const decision = compileFirstEdition(v.parse(PolicySchema, JSON.parse(issuePolicyText)));

  test('parses, with the info as written', () => {
    expect(v.parse(PolicySchema, JSON.parse(issuePolicyText)).rules).toEqual([
      { command: BEFORE, field: 'Operator_Account', in: ['spammer'], refuse: { code: 10101, info: 'operator not allowed' } },
      { command: BEFORE, field: 'Name', maxLength: 50, refuse: { code: 1, info: 'name too long' } },
    ]);
  });

  test('refuses the spammer with the custom code', () => {
    expect(decision(BEFORE, { Operator_Account: 'spammer', Name: 'ok' })).toEqual({ code: 10101, info: 'operator not allowed' });
  });

  test('refuses a name over 50 characters with code 1', () => {
    expect(decision(BEFORE, { Operator_Account: 'leckie', Name: 'x'.repeat(51) })).toEqual({ code: 1, info: 'name too long' });
  });

  test('allows anything else, the seed body included', () => {
    expect(decision(BEFORE, { Operator_Account: 'leckie', Type: 'Community', Name: 'MyFirstTopic' })).toEqual({ code: 0, info: '' });
    expect(decision(BEFORE, { Operator_Account: 'leckie', Name: 'x'.repeat(50) })).toEqual({ code: 0, info: '' });
  });

  test('a spammer with a long name gets the first rule', () => {
    expect(decision(BEFORE, { Operator_Account: 'spammer', Name: 'x'.repeat(51) }).code).toBe(10101);
  });
});

describe('matchers', () => {
  test('in refuses the listed values only', () => {
    const decision = decide(rule({ in: ['spam', 'ham'] }));
    expect(decision(BEFORE, { Name: 'spam' })).toEqual(refused);
    expect(decision(BEFORE, { Name: 'ham' })).toEqual(refused);
    expect(decision(BEFORE, { Name: 'Spam' })).toEqual(allow);
    expect(decision(BEFORE, { Name: 'spam ' })).toEqual(allow);
  });

  test('notIn refuses every value but the listed ones', () => {
    const decision = decide(rule({ notIn: ['Community'] }, 'Type'));
    expect(decision(BEFORE, { Type: 'Community' })).toEqual(allow);
    expect(decision(BEFORE, { Type: 'Public' })).toEqual(refused);
    expect(decision(BEFORE, { Type: '' })).toEqual(refused);
  });

  describe('maxLength counts Unicode code points', () => {
    const decision = decide(rule({ maxLength: 50 }));

    test.each([
      ['ASCII', 'a'],
      ['Chinese', '话'],
      ['emoji outside the BMP', '😀'],
      ['a supplementary CJK ideograph', '𠀀'],
    ])('%s: 50 pass, 51 refuse', (_, character) => {
      expect(decision(BEFORE, { Name: character.repeat(50) })).toEqual(allow);
      expect(decision(BEFORE, { Name: character.repeat(51) })).toEqual(refused);
    });

    test('maxLength 0 refuses any non-empty value but not the empty string', () => {
      const zero = decide(rule({ maxLength: 0 }));
      expect(zero(BEFORE, { Name: '' })).toEqual(allow);
      expect(zero(BEFORE, { Name: 'a' })).toEqual(refused);
    });
  });

  describe('pattern', () => {
    test('refuses a value the regular expression matches anywhere', () => {
      const decision = decide(rule({ pattern: 'casino|lottery' }));
      expect(decision(BEFORE, { Name: 'best casino deals' })).toEqual(refused);
      expect(decision(BEFORE, { Name: 'book club' })).toEqual(allow);
    });

    test('respects anchors', () => {
      const decision = decide(rule({ pattern: '^admin$' }));
      expect(decision(BEFORE, { Name: 'admin' })).toEqual(refused);
      expect(decision(BEFORE, { Name: 'administrators' })).toEqual(allow);
    });

    test('runs in Unicode mode: property escapes work and . is one code point', () => {
      const han = decide(rule({ pattern: '\\p{Script=Han}' }));
      expect(han(BEFORE, { Name: '话题' })).toEqual(refused);
      expect(han(BEFORE, { Name: 'topic' })).toEqual(allow);
      const oneCharacter = decide(rule({ pattern: '^.$' }));
      expect(oneCharacter(BEFORE, { Name: '😀' })).toEqual(refused);
    });

    test('gives the same answer on repeated calls (no lastIndex state)', () => {
      const decision = decide(rule({ pattern: 'spam' }));
      for (let i = 0; i < 3; i++) expect(decision(BEFORE, { Name: 'spam' })).toEqual(refused);
    });
  });

  test('several matchers in one rule must all hold', () => {
    const decision = decide(rule({ pattern: '^bot', maxLength: 5 }));
    expect(decision(BEFORE, { Name: 'bot-123' })).toEqual(refused);
    expect(decision(BEFORE, { Name: 'bot' })).toEqual(allow);
    expect(decision(BEFORE, { Name: 'robot-123' })).toEqual(allow);
  });

  test('in and notIn together: both must hold', () => {
    const decision = decide(rule({ in: ['a', 'b'], notIn: ['b'] }));
    expect(decision(BEFORE, { Name: 'a' })).toEqual(refused);
    expect(decision(BEFORE, { Name: 'b' })).toEqual(allow);
    expect(decision(BEFORE, { Name: 'c' })).toEqual(allow);
  });
});

describe('rules', () => {
  test('the first refusing rule wins', () => {
    const first = rule({ pattern: 'spam' }, 'Name', { code: 10150, info: 'first' });
    const second = rule({ in: ['spam'] }, 'Name', { code: 10151, info: 'second' });
    expect(decide(first, second)(BEFORE, { Name: 'spam' })).toEqual({ code: 10150, info: 'first' });
    expect(decide(second, first)(BEFORE, { Name: 'spam' })).toEqual({ code: 10151, info: 'second' });
  });

  test('a later rule refuses when an earlier one does not', () => {
    const first = rule({ in: ['other'] }, 'Name', { code: 10150, info: 'first' });
    const second = rule({ in: ['spam'] }, 'Name', { code: 10151, info: 'second' });
    expect(decide(first, second)(BEFORE, { Name: 'spam' })).toEqual({ code: 10151, info: 'second' });
  });

  test("rules apply only to their own command's callbacks", () => {
    const decision = decide(rule({ in: ['spam'] }));
    expect(decision('Group.CallbackBeforeSendMsg', { Name: 'spam' })).toEqual(allow);
    expect(decision('Group.CallbackAfterCreateTopic', { Name: 'spam' })).toEqual(allow);
  });

  test('no rules allow everything', () => {
    expect(compileFirstEdition(allowEverything)(BEFORE, { Name: 'anything' })).toEqual(allow);
  });
});

describe('values a rule cannot read match nothing', () => {
  test.each([
    ['a missing field', {}],
    ['null', { Name: null }],
    ['a boolean', { Name: true }],
    ['an object', { Name: { text: 'x' } }],
    ['an array', { Name: ['x'] }],
  ])('%s is allowed even by notIn', (_, body) => {
    const decision = decide(rule({ notIn: ['ok'] }), rule({ pattern: '' }), rule({ maxLength: 0 }));
    expect(decision(BEFORE, body)).toEqual(allow);
  });

  test('an inherited property name is no field: refused at load', () => {
    expect(problemsOf({ rules: [rule({ notIn: ['ok'] }, 'constructor')] })).toContain('field "constructor" is not in Group.CallbackBeforeCreateTopic\'s body');
    expect(problemsOf({ rules: [rule({ notIn: ['ok'] }, 'toString')] })).toContain('field "toString" is not in');
  });

  test('a number is compared as its string', () => {
    const CREATE = 'Group.CallbackBeforeCreateGroup';
    const decision = decide(
      { ...rule({ in: ['42'] }, 'CreateGroupNum'), command: CREATE },
      { ...rule({ pattern: '^\\d{3}$' }, 'CreateGroupNum', { code: 10102, info: '' }), command: CREATE },
    );
    expect(decision(CREATE, { CreateGroupNum: 42 })).toEqual(refused);
    expect(decision(CREATE, { CreateGroupNum: 43 })).toEqual(allow);
    expect(decision(CREATE, { CreateGroupNum: 100 })).toEqual({ code: 10102, info: '' });
    expect(decision(CREATE, { CreateGroupNum: 10.5 })).toEqual(allow);
  });
});

describe('validation', () => {
  test.each([1, 10100, 10150, 10200])('refuse.code %j is accepted', (code) => {
    expect(v.safeParse(PolicySchema, { rules: [rule({ in: ['x'] }, 'Name', { code })] }).success).toBe(true);
  });

  test.each([0, 2, 10099, 10201, 1.5, -1, 20006, '10101'])('refuse.code %j is rejected', (code) => {
    expect(problemsOf({ rules: [rule({ in: ['x'] }, 'Name', { code })] })).toMatch(/refuse\.code must be 1 .*10100–10200|Invalid/);
  });

  test('a refuse.code out of range says which codes are allowed', () => {
    expect(problemsOf({ rules: [rule({ in: ['x'] }, 'Name', { code: 2 })] })).toMatch(/refuse\.code must be 1 .* or 10100–10200/);
  });

  test('info defaults to the empty string', () => {
    const policy = v.parse(PolicySchema, { rules: [rule({ in: ['x'] }, 'Name', { code: 1 })] });
    expect(policy.rules[0]!.refuse).toEqual({ code: 1, info: '' });
    expect(compileFirstEdition(policy)(BEFORE, { Name: 'x' })).toEqual({ code: 1, info: '' });
  });

  test.each([
    ['an after-callback', 'Group.CallbackAfterCreateGroup'],
    ['an unknown command', 'Nope'],
  ])('%s is rejected, and the message lists the before-commands', (_, command) => {
    expect(problemsOf({ rules: [{ ...rule({ in: ['x'] }), command }] })).toContain(
      `command must be a before-callback (or an after-callback whose answer carries a reply): ${policyCommandNames}`,
    );
  });

  test('a rule with no matcher is rejected', () => {
    expect(problemsOf({ rules: [rule({})] })).toMatch(/at least one matcher: in, notIn, maxLength, pattern, containsAny/);
  });

  test('an invalid regular expression is rejected', () => {
    expect(problemsOf({ rules: [rule({ pattern: '(' })] })).toContain('pattern must be a valid regular expression');
  });

  test('a pattern valid only outside Unicode mode is rejected', () => {
    // `\-` is an identity escape: JavaScript takes it without the u flag, and refuses it with it (as
    // text: a literal /\-/u would not even load).
    const pattern = '\\-';
    expect(() => new RegExp(pattern)).not.toThrow();
    expect(() => new RegExp(pattern, 'u')).toThrow(SyntaxError);
    expect(problemsOf({ rules: [rule({ pattern })] })).toContain('pattern must be a valid regular expression');
  });

  test.each([
    ['a typo in a rule key', { maxlen: 50 }],
    ['an unknown key beside a matcher', { in: ['x'], when: 'always' }],
  ])('%s is rejected', (_, matchers) => {
    expect(v.safeParse(PolicySchema, { rules: [rule(matchers)] }).success).toBe(false);
  });

  test('an unknown key in refuse or at the top level is rejected', () => {
    expect(v.safeParse(PolicySchema, { rules: [rule({ in: ['x'] }, 'Name', { code: 1, message: 'x' })] }).success).toBe(false);
    expect(v.safeParse(PolicySchema, { rules: [], default: 'allow' }).success).toBe(false);
  });

  test.each([
    ['an empty field', { ...rule({ in: ['x'] }), field: '' }],
    ['a negative maxLength', rule({ maxLength: -1 })],
    ['a fractional maxLength', rule({ maxLength: 1.5 })],
    ['a number in "in"', rule({ in: [1] })],
    ['a string for "in"', rule({ in: 'spam' })],
    ['no refuse', { command: BEFORE, field: 'Name', in: ['x'] }],
  ])('%s is rejected', (_, bad) => {
    expect(v.safeParse(PolicySchema, { rules: [bad] }).success).toBe(false);
  });

  test('a policy needs its rules array', () => {
    expect(v.safeParse(PolicySchema, {}).success).toBe(false);
    expect(v.safeParse(PolicySchema, { rules: {} }).success).toBe(false);
  });
});
