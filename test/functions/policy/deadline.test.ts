import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import type { Body } from '../../../functions/commands/definition.ts';
import { beforeCommands, commandDefinition } from '../../../functions/commands/registry.ts';
import { answerFor } from '../../../functions/policy/answer.ts';
import { defaultDeadlineMs } from '../../../functions/policy/decision-clock.ts';
import { compilePolicy, type PolicyOptions } from '../../../functions/policy/policy.ts';
import type { Policy } from '../../../functions/policy/policy-schema.ts';
import { actingPolicy, palsAdd, problemsOf, TestPolicySchema, text } from './test-families.ts';

/**
 * A decision has a deadline (issue 17): past it, the command's `onTimeout` answers (allow unless the
 * policy says otherwise), naming the rule the decision had reached. Time is the test's: a clock it
 * moves itself, here when the decision reads a field, so nothing depends on the machine's speed.
 */
const topic = commandDefinition('Group.CallbackBeforeCreateTopic');
const send = commandDefinition('Group.CallbackBeforeSendMsg');
const TEXT = 'MsgBody[].MsgContent.Text';

/** A clock that stands still until the test moves it. */
function testClock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

/** A field whose reading takes `ms` of the test's clock: the decision's work, as slow as the test wants. */
const slowField = <Value>(clock: ReturnType<typeof testClock>, ms: number, value: Value) => ({
  get value() {
    clock.advance(ms);
    return value;
  },
});

const compile = (policy: unknown, options: PolicyOptions) => actingPolicy(compilePolicy(v.parse(TestPolicySchema, policy) as Policy, options));

describe('past the deadline', () => {
  const rules = [
    { command: topic.command, field: 'Name', in: ['spam'], refuse: { code: 10101, info: 'spam' } },
    { command: topic.command, field: 'Operator_Account', in: ['spammer'], refuse: { code: 10102, info: 'spammer' } },
    { command: topic.command, field: 'Name', maxLength: 3, refuse: { code: 10103, info: 'long' } },
  ];
  /** A topic whose operator takes `ms` to read. */
  const body = (clock: ReturnType<typeof testClock>, ms: number, name = 'ok') => {
    const operator = slowField(clock, ms, 'spammer');
    return Object.defineProperty({ Name: name } as Body, 'Operator_Account', { get: () => operator.value, enumerable: true });
  };

  test('within it, the rules decide', () => {
    const clock = testClock();
    const decide = compile({ rules }, { now: clock.now, deadlineMs: 100 });
    expect(decide(topic, body(clock, 100))).toEqual({ action: 'refuse', code: 10102, info: 'spammer', rule: 1 });
  });

  test('past it, allow, naming the rule reached, and answered as allow', () => {
    const clock = testClock();
    const decide = compile({ rules }, { now: clock.now, deadlineMs: 100 });
    const request = body(clock, 101, 'a long name');
    const decision = decide(topic, request);
    expect(decision).toEqual({ action: 'timedOut', rule: 1, answer: 'allow' });
    expect(answerFor(topic, request, decision)).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  });

  test("past it, the command's onTimeout: a refusal, in Tencent's words", () => {
    const clock = testClock();
    const onTimeout = { [topic.command]: { refuse: { code: 10150, info: 'try again' } }, [send.command]: 'allow' };
    const decide = compile({ rules, onTimeout }, { now: clock.now, deadlineMs: 100 });
    const request = body(clock, 101);
    const decision = decide(topic, request);
    expect(decision).toEqual({ action: 'timedOut', rule: 1, answer: { refuse: { code: 10150, info: 'try again' } } });
    expect(answerFor(topic, request, decision)).toEqual({ ActionStatus: 'OK', ErrorCode: 10150, ErrorInfo: 'try again' });
  });

  test('the default deadline is 100 ms, and each decision has its own', () => {
    expect(defaultDeadlineMs).toBe(100);
    const clock = testClock();
    const decide = compile({ rules }, { now: clock.now });
    expect(decide(topic, body(clock, 101))).toMatchObject({ action: 'timedOut' });
    // The next decision starts afresh: the time the last one took is not held against it.
    expect(decide(topic, body(clock, 99))).toMatchObject({ action: 'refuse', rule: 1 });
  });

  test('between text fields: a long message stops at the field where time ran out', () => {
    const clock = testClock();
    const decide = compile({ rules: [{ command: send.command, field: TEXT, containsAny: ['darn'], mask: '*' }] }, { now: clock.now, deadlineMs: 100 });
    const slow = slowField(clock, 101, 'slow');
    const msgBody = [
      text('darn'),
      { MsgType: 'TIMTextElem', MsgContent: Object.defineProperty({}, 'Text', { get: () => slow.value, enumerable: true }) },
      text('darn'),
    ];
    expect(decide(send, { MsgBody: msgBody })).toEqual({ action: 'timedOut', rule: 0, answer: 'allow' });
    expect(decide(send, { MsgBody: [text('darn'), text('slow'), text('darn')] })).toMatchObject({
      action: 'rewrite',
      value: [text('****'), text('slow'), text('****')],
    });
  });

  test('inside a long text: folding a megabyte of composing characters for a mask looks at the clock as it goes', () => {
    // A clock that moves a millisecond at every look: only a decision that looks often runs out.
    let time = 0;
    const now = () => ++time;
    const decide = compile({ rules: [{ command: send.command, field: TEXT, containsAny: ['é'], mask: '*' }] }, { now, deadlineMs: 100 });
    expect(decide(send, { MsgBody: [text('cafe\u0301')] })).toMatchObject({ action: 'rewrite', value: [text('caf**')] });
    expect(decide(send, { MsgBody: [text('e\u0301'.repeat(512 * 1024))] })).toEqual({ action: 'timedOut', rule: 0, answer: 'allow' });
  });

  test('a per-item command refused on timeout answers a refusal for every item', () => {
    const clock = testClock();
    const policy = {
      rules: [{ command: palsAdd.command, field: 'FriendItem[].To_Account', in: ['b'], refuse: { code: 38001, info: 'blocked' } }],
      onTimeout: { [palsAdd.command]: { refuse: { code: 38002, info: 'later' } } },
    };
    const decide = compile(policy, { now: clock.now, deadlineMs: 100 });
    const slow = slowField(clock, 500, 'a');
    const request = { FriendItem: [Object.defineProperty({}, 'To_Account', { get: () => slow.value, enumerable: true }), { To_Account: 'b' }] } as Body;
    const decision = decide(palsAdd, request);
    expect(decision).toEqual({ action: 'timedOut', rule: 0, answer: { refuse: { code: 38002, info: 'later' } } });
    expect(answerFor(palsAdd, request, decision)).toEqual({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      ResultItem: [
        { To_Account: 'a', ResultCode: 38002, ResultInfo: 'later' },
        { To_Account: 'b', ResultCode: 38002, ResultInfo: 'later' },
      ],
    });
  });
});

describe('a pattern that cannot finish in time is not started', () => {
  // What the load-time trial would have measured: 10 ms per KB to test, 30 to find.
  const patternCost = () => ({ testMs: 10, findMs: 30 });
  const rules = [
    { command: send.command, field: TEXT, in: ['never'], drop: true },
    { command: send.command, field: TEXT, pattern: 'spam', refuse: { code: 10101, info: 'spam' } },
  ];

  test('a 2 KB text is tested (20 ms predicted); a 20 KB one would take 200 ms, past a 100 ms deadline', () => {
    const clock = testClock();
    const decide = compile({ rules }, { now: clock.now, deadlineMs: 100, patternCost });
    expect(decide(send, { MsgBody: [text(`spam${'x'.repeat(2_044)}`)] })).toEqual({ action: 'refuse', code: 10101, info: 'spam', rule: 1 });
    expect(decide(send, { MsgBody: [text(`spam${'x'.repeat(20 * 1024)}`)] })).toEqual({ action: 'timedOut', rule: 1, answer: 'allow' });
  });

  test('the prediction counts the time already spent', () => {
    const clock = testClock();
    const decide = compile({ rules }, { now: clock.now, deadlineMs: 100, patternCost });
    const slow = slowField(clock, 90, 'never mind');
    const request = {
      MsgBody: [
        text('ok'),
        { MsgType: 'TIMTextElem', MsgContent: Object.defineProperty({}, 'Text', { get: () => slow.value, enumerable: true }) },
        text(`spam${'x'.repeat(2_044)}`),
      ],
    };
    expect(decide(send, request as Body)).toEqual({ action: 'timedOut', rule: 1, answer: 'allow' });
  });

  test('a mask predicts finding too', () => {
    const clock = testClock();
    const decide = compile({ rules: [{ command: send.command, field: TEXT, pattern: 'spam', mask: '*' }] }, { now: clock.now, deadlineMs: 100, patternCost });
    // 4 KB: testing is predicted at 40 ms, which fits; finding at 120, which does not.
    expect(decide(send, { MsgBody: [text(`spam${'x'.repeat(4 * 1024 - 4)}`)] })).toEqual({ action: 'timedOut', rule: 0, answer: 'allow' });
    expect(decide(send, { MsgBody: [text(`spam${'x'.repeat(1024 - 4)}`)] })).toMatchObject({ action: 'rewrite', rules: [0] });
  });
});

describe('onTimeout, checked at load', () => {
  const GROUP_SEND = 'Group.CallbackBeforeSendMsg';

  test('"allow" or a refusal the command accepts', () => {
    const policy = v.parse(TestPolicySchema, {
      rules: [],
      onTimeout: { [GROUP_SEND]: 'allow', [topic.command]: { refuse: { code: 10101 } }, [palsAdd.command]: { refuse: { code: 38000 } } },
    });
    expect(policy.onTimeout).toEqual({
      [GROUP_SEND]: 'allow',
      [topic.command]: { refuse: { code: 10101, info: '' } },
      [palsAdd.command]: { refuse: { code: 38000, info: '' } },
    });
  });

  test.each(['Nope', 'Group.CallbackAfterSendMsg'])('%s is no before-callback: refused, with the list of them', (command) => {
    expect(problemsOf({ rules: [], onTimeout: { [command]: 'allow' } })).toContain(
      `onTimeout.${command}: onTimeout names a before-callback: ${beforeCommands.join(', ')}`,
    );
    expect(problemsOf({ rules: [], onTimeout: { [command]: 'allow' } })).toContain(`(not "${command}")`);
  });

  test("a code outside the command's range is refused, saying which it accepts", () => {
    expect(problemsOf({ rules: [], onTimeout: { [GROUP_SEND]: { refuse: { code: 38001 } } } })).toBe(
      `onTimeout.${GROUP_SEND}.refuse.code: onTimeout for ${GROUP_SEND}: refuse.code must be 1 (the client gets 10016) or 10100–10200 for ${GROUP_SEND}, not 38001`,
    );
    expect(problemsOf({ rules: [], onTimeout: { [palsAdd.command]: { refuse: { code: 1 } } } })).toContain(
      `refuse.code must be 38000–39000 for ${palsAdd.command}, not 1`,
    );
  });

  test.each([
    ['a word other than allow', 'deny'],
    ['drop', { drop: true }],
    ['a refusal without a code', { refuse: { info: 'x' } }],
    ['a refusal with another key', { refuse: { code: 10101 }, info: 'x' }],
    ['true', true],
  ])('%s is refused', (_, answer) => {
    expect(problemsOf({ rules: [], onTimeout: { [GROUP_SEND]: answer } })).toContain('an onTimeout answer is "allow" or {"refuse":{"code":…,"info":"…"}}');
  });

  test('onTimeout is an object of commands', () => {
    expect(problemsOf({ rules: [], onTimeout: 'allow' })).toBe(
      'onTimeout: onTimeout must name before-callbacks and their answers, such as {"Group.CallbackBeforeSendMsg":"allow"}',
    );
  });
});
