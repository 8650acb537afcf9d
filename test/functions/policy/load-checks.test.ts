import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { beforeCommands, commandDefinition, commandRegistry } from '../../../functions/commands/registry.ts';
import { PolicySchema, policyCommands } from '../../../functions/policy/policy-schema.ts';
import { chatCreate, chatSend, clubInvite, palsAdd, problemsOf, TestPolicySchema } from './test-families.ts';

/** Every refusal when a policy loads, with what it tells the operator. */
const TEXT = 'MsgBody[].MsgContent.Text';
const GROUP_SEND = 'Group.CallbackBeforeSendMsg';
const TOPIC = 'Group.CallbackBeforeCreateTopic';
const INVITE = 'Group.CallbackBeforeInviteJoinGroup';
const policyCommandNames = policyCommands.map((definition) => definition.command).join(', ');
const one = (rule: Record<string, unknown>) => problemsOf({ rules: [rule] });
/** The registry's before-commands that can take an action, then the test families' (the messages list them so). */
const able = (can: (answers: NonNullable<ReturnType<typeof commandDefinition>['answers']>) => unknown, ...testCommands: string[]) =>
  [...beforeCommands.filter((command) => can(commandDefinition(command).answers!)), ...testCommands].join(', ');

describe('commands', () => {
  test.each(['Nope', 'Group.CallbackAfterCreateGroup', 'Group.CallbackBeforeSomethingNew'])('%s is refused, with the list of before-commands', (command) => {
    const result = v.safeParse(PolicySchema, { rules: [{ command, field: 'Name', in: ['x'], refuse: { code: 1 } }] });
    expect(result.issues?.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`)).toContain(
      `rules.0.command: command must be a before-callback (or an after-callback whose answer carries a reply): ${policyCommandNames} (not "${command}"; rule 0)`,
    );
  });

  test("the registry's schema lists exactly the registry's before-commands, then the after-commands that reply", () => {
    const result = v.safeParse(PolicySchema, { rules: [{ command: 'Nope', field: 'Name', in: ['x'], refuse: { code: 1 } }] });
    const definitions = [...commandRegistry.values()];
    const before = definitions.filter((definition) => definition.kind === 'before').map((definition) => definition.command);
    const replying = definitions
      .filter((definition) => definition.kind === 'after' && definition.replies !== undefined)
      .map((definition) => definition.command);
    expect(replying).toEqual(['Chatbot.OnC2CSignalMessage']);
    expect(result.issues?.[0]?.message).toContain(`: ${[...before, ...replying].join(', ')} (`);
  });

  test('a list of commands needs at least one, and each is checked', () => {
    expect(one({ command: [], field: 'Name', in: ['x'], refuse: { code: 1 } })).toContain('command needs at least one name');
    expect(one({ command: [TOPIC, 'Nope'], field: 'Name', in: ['x'], refuse: { code: 1 } })).toContain('(not "Nope"; rule 0)');
  });
});

describe('paths', () => {
  test('a path the schema does not have names the rule and the path', () => {
    const problems = problemsOf({
      rules: [
        { command: TOPIC, field: 'Name', in: ['x'], refuse: { code: 1 } },
        { command: TOPIC, field: 'Nmae', in: ['x'], refuse: { code: 1 } },
      ],
    });
    expect(problems).toBe(`rules.1.field: field "Nmae" is not in ${TOPIC}'s body (rule 1)`);
  });

  test.each([
    ['a nested path', TEXT, true],
    ['a path through a nullable object in a union', 'Owner.Level', true],
    ['a list of strings', 'Tags[]', true],
    ['a field that is not a list, taken as one', 'Name[]', false],
    ['a missing nested field', 'Owner.Acount', false],
    ['a step into a string', 'Name.x', false],
  ])('%s: %s', (_, field, ok) => {
    const command = field === TEXT ? chatSend.command : chatCreate.command;
    const result = v.safeParse(TestPolicySchema, { rules: [{ command, field, in: ['x'], refuse: { code: 1 } }] });
    expect(result.success).toBe(ok);
  });

  test('a path to a list or an object is refused: only strings and numbers are compared', () => {
    expect(one({ command: GROUP_SEND, field: 'MsgBody', in: ['x'], refuse: { code: 1 } })).toContain(
      'field "MsgBody" of Group.CallbackBeforeSendMsg is a list or an object',
    );
    expect(one({ command: chatCreate.command, field: 'Owner', in: ['x'], refuse: { code: 1 } })).toContain('is a list or an object');
  });

  test.each(['a..b', 'a[0]', '[]', 'a.'])('%s is not a path', (field) => {
    expect(one({ command: TOPIC, field, in: ['x'], refuse: { code: 1 } })).toContain('field must be a path');
  });

  test('a rule naming several commands is checked against each', () => {
    expect(one({ command: [GROUP_SEND, TOPIC], field: TEXT, in: ['x'], refuse: { code: 10101 } })).toBe(
      `rules.0.field: field "${TEXT}" is not in ${TOPIC}'s body (rule 0)`,
    );
  });
});

describe('actions', () => {
  test('exactly one action', () => {
    expect(one({ command: GROUP_SEND, field: TEXT, in: ['x'] })).toContain('a rule needs exactly one action: refuse, drop, mask, refuseMembers');
    expect(one({ command: GROUP_SEND, field: TEXT, in: ['x'], drop: true, mask: '*' })).toContain('exactly one action');
  });

  test('a group code on a C2C rule is refused, naming the rule', () => {
    expect(one({ command: chatSend.command, field: TEXT, in: ['x'], refuse: { code: 10101 } })).toBe(
      `rules.0.refuse.code: refuse.code must be 1 (the client gets 20006) or 120001–130000 for ${chatSend.command}, not 10101 (rule 0)`,
    );
    expect(one({ command: [GROUP_SEND, chatSend.command], field: TEXT, in: ['x'], refuse: { code: 120001 } })).toContain(
      `for ${GROUP_SEND}, not 120001 (rule 0)`,
    );
  });

  test('a per-item code must be in its range too', () => {
    expect(one({ command: palsAdd.command, field: 'FriendItem[].To_Account', in: ['x'], refuse: { code: 1 } })).toContain(
      `refuse.code must be 38000–39000 for ${palsAdd.command}, not 1`,
    );
  });

  test('drop on a command without drop (create-topic)', () => {
    expect(one({ command: TOPIC, field: 'Name', in: ['x'], drop: true })).toBe(
      `rules.0.drop: ${TOPIC} cannot drop (drop is for ${able((answers) => answers.drop, chatSend.command)}) (rule 0)`,
    );
  });

  test('mask needs rewrite, the text field and a matcher that finds', () => {
    expect(one({ command: TOPIC, field: 'Name', containsAny: ['x'], mask: '*' })).toContain(
      `${TOPIC} cannot mask (mask is for ${able((answers) => answers.rewrite, chatSend.command)})`,
    );
    expect(one({ command: GROUP_SEND, field: 'CloudCustomData', containsAny: ['x'], mask: '*' })).toContain(
      `a mask rule's field must be ${TEXT}, not "CloudCustomData"`,
    );
    expect(one({ command: GROUP_SEND, field: TEXT, maxLength: 3, mask: '*' })).toContain('a mask rule needs containsAny or pattern to say what to mask');
  });

  test.each(['', '**', 'ab'])('mask %j is not one character', (mask) => {
    expect(one({ command: GROUP_SEND, field: TEXT, containsAny: ['x'], mask })).toContain('mask must be one character');
  });

  test('a mask of one code point outside the BMP is one character', () => {
    expect(v.safeParse(PolicySchema, { rules: [{ command: GROUP_SEND, field: TEXT, containsAny: ['x'], mask: '😶' }] }).success).toBe(true);
  });

  test('refuseMembers on send-message, and outside the accounts list', () => {
    expect(one({ command: GROUP_SEND, field: TEXT, in: ['x'], refuseMembers: true })).toContain(
      `${GROUP_SEND} cannot refuse members (refuseMembers is for ${able((answers) => answers.refuseMembers, clubInvite.command)})`,
    );
    expect(one({ command: INVITE, field: 'Operator_Account', in: ['x'], refuseMembers: true })).toContain(
      'a refuseMembers rule\'s field must be DestinationMembers[].Member_Account or another field of DestinationMembers[], not "Operator_Account"',
    );
  });

  test('drop and refuseMembers are true or absent', () => {
    expect(one({ command: GROUP_SEND, field: TEXT, in: ['x'], drop: false })).toContain('drop must be true');
    expect(one({ command: INVITE, field: 'DestinationMembers[].Member_Account', in: ['x'], refuseMembers: 1 })).toContain('refuseMembers must be true');
  });
});

describe('matchers', () => {
  test('containsAny needs non-empty words', () => {
    expect(one({ command: GROUP_SEND, field: TEXT, containsAny: [], drop: true })).toContain('containsAny needs at least one word');
    expect(one({ command: GROUP_SEND, field: TEXT, containsAny: ['ok', ''], drop: true })).toContain('containsAny words must not be empty');
  });

  test.each([
    ['a backreference', '(a)\\1', 'invalid escape sequence'],
    ['a lookahead', 'foo(?=bar)', 'unsupported Perl syntax'],
    ['a negative lookahead', '^(?!admin)', 'unsupported Perl syntax'],
    ['a lookbehind', '(?<=@)spam', 'invalid named capture'],
  ])('%s is refused, saying why', (_, pattern, reason) => {
    const problems = one({ command: TOPIC, field: 'Name', pattern, refuse: { code: 1 } });
    expect(problems).toContain(`pattern ${JSON.stringify(pattern)} cannot run in linear time: RE2 has no backreferences, lookahead or lookbehind`);
    expect(problems).toContain(reason);
  });

  test('a pattern that is not JavaScript is refused as before', () => {
    expect(one({ command: TOPIC, field: 'Name', pattern: '(', refuse: { code: 1 } })).toContain('pattern must be a valid regular expression (');
  });
});
