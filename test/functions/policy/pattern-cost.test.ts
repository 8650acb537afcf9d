import { describe, expect, test } from '@jest/globals';
import { RE2JS } from 're2js';
import { toRe2Syntax } from '../../../functions/policy/linear-pattern.ts';
import {
  literalAlternation,
  maxProgramSize,
  programSize,
  type TrialOptions,
  trialMargin,
  trialProblem,
  trialTexts,
  trialTextUnits,
} from '../../../functions/policy/pattern-cost.ts';
import { settingsFromEnvironment } from '../../../functions/shared/settings.ts';
import { problemsOf } from './test-families.ts';

/**
 * A pattern's cost is checked when the policy loads (issue 17): RE2's program size, deterministic,
 * and a timed trial against the deadline. Only the first is asserted on as measured; the trial is
 * given its times, since no test may depend on how fast the machine is.
 */
const TOPIC = 'Group.CallbackBeforeCreateTopic';
const SEND = 'Group.CallbackBeforeSendMsg';
const TEXT = 'MsgBody[].MsgContent.Text';
const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i.toString(36)}x`);
/** The program size as re2js itself reports it, for the message to quote. */
const instructions = (pattern: string) => RE2JS.compile(toRe2Syntax(pattern)).programSize();

describe('program size, at load', () => {
  test('a 1,000-word alternation is refused, with its cost and the containsAny it should be', () => {
    const pattern = words(1_000).join('|');
    const problems = problemsOf({
      rules: [
        { command: SEND, field: TEXT, in: ['x'], drop: true },
        { command: SEND, field: TEXT, pattern, drop: true },
      ],
    });
    expect(instructions(pattern)).toBeGreaterThan(maxProgramSize);
    expect(problems).toBe(
      `rules.1.pattern: pattern is too costly: its RE2 program has ${instructions(pattern)} instructions, more than the ${maxProgramSize} a pattern may have; ` +
        'it is a list of 1000 words: use containsAny with these 1000 words instead (["word0x", "word1x", "word2x", …]), one pass over the text whatever their number (rule 1)',
    );
  });

  test('the same list as containsAny loads', () => {
    expect(() => problemsOf({ rules: [{ command: SEND, field: TEXT, containsAny: words(1_000), drop: true }] })).toThrow('the policy was accepted');
  });

  test('a large pattern that is no word list is refused without the hint', () => {
    const pattern = '[a-z]{1,600}';
    expect(instructions(pattern)).toBeGreaterThan(maxProgramSize);
    expect(problemsOf({ rules: [{ command: TOPIC, field: 'Name', pattern, refuse: { code: 1 } }] })).toContain(
      `pattern is too costly: its RE2 program has ${instructions(pattern)} instructions, more than the ${maxProgramSize} a pattern may have; split it into simpler rules, or use containsAny for lists of words (rule 0)`,
    );
  });

  test.each([
    ['casino|lottery'],
    ['^(a+)+$'],
    ['https?://spam\\.example'],
    ['\\p{Script=Han}'],
    ['(?i:https?://[a-z0-9.-]+\\.(?:ru|cn|xyz|top)/\\S*)'],
    ['[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}'],
    ['(?:\\+?86)?1[3-9]\\d{9}'],
    [words(100).join('|')],
  ])('an ordinary pattern is well within the bound: %s', (pattern) => {
    expect(programSize(pattern)).toBeLessThanOrEqual(maxProgramSize);
    expect(() => problemsOf({ rules: [{ command: TOPIC, field: 'Name', pattern, refuse: { code: 1 } }] })).toThrow('the policy was accepted');
  });

  test('the settings name the variable and the rule', () => {
    const policy = { rules: [{ command: SEND, field: TEXT, pattern: `\\b(?:${words(2_000).join('|')})\\b`, mask: '*' }] };
    expect(() => settingsFromEnvironment({ IM_SDKAPPIDS: '1', IM_POLICY: JSON.stringify(policy) })).toThrow(
      /^Invalid settings:\n {2}- environment variable IM_POLICY at rules\.0\.pattern: pattern is too costly: its RE2 program has \d+ instructions.*use containsAny with these 2000 words instead/,
    );
  });
});

describe('a plain list of words is recognised', () => {
  test.each([
    ['darn|heck', ['darn', 'heck']],
    ['\\b(?:darn|heck)\\b', ['darn', 'heck']],
    ['^(darn|heck)$', ['darn', 'heck']],
    ['(?i:darn|heck)', ['darn', 'heck']],
    ['spam\\.example|ham-radio|话题', ['spam.example', 'ham-radio', '话题']],
  ])('%s', (pattern, expected) => {
    expect(literalAlternation(pattern)).toEqual(expected);
  });

  test.each([['darn'], ['darn|he+ck'], ['[ab]|c'], ['\\d|x'], ['a||b'], ['(a|b)|c'], ['a.b|c']])('%s is not one', (pattern) => {
    expect(literalAlternation(pattern)).toBeUndefined();
  });
});

describe('the timed trial, given its times', () => {
  const timed = (testMs: number, findMs: number) => {
    const calls: TrialOptions[] = [];
    const trial = (_pattern: string, options: TrialOptions) => {
      calls.push(options);
      return { testMs, findMs };
    };
    return { trial, calls };
  };

  test(`refuses a pattern over ${trialMargin}× the deadline, saying what it measured`, () => {
    const { trial } = timed(250, 0);
    expect(trialProblem('darn|heck', 'test', 100, trial)).toBe(
      `pattern is too slow: it took 250 ms to test on a 12 KB message, more than ${trialMargin}× the 100 ms decision deadline (policyDeadlineMs); ` +
        'it is a list of 2 words: use containsAny with these 2 words instead (["darn", "heck"]), one pass over the text whatever their number',
    );
  });

  test('the bound comes from the deadline: the same times pass a longer one', () => {
    expect(trialProblem('x+y', 'test', 100, timed(250, 0).trial)).toBeDefined();
    expect(trialProblem('x+y', 'test', 200, timed(250, 0).trial)).toBeUndefined();
  });

  test('a mask pays for finding too; the other actions only test', () => {
    expect(trialProblem('x+y', 'test', 100, timed(150, 100).trial)).toBeUndefined();
    expect(trialProblem('x+y', 'find', 100, timed(150, 100).trial)).toContain('it took 250 ms to find its matches');
  });

  test('asks the trial to confirm a slow result before refusing', () => {
    const { trial, calls } = timed(10, 10);
    trialProblem('x+y', 'find', 100, trial);
    expect(calls).toEqual([{ use: 'find', confirmAboveMs: trialMargin * 100 }]);
  });

  test('no trial for a pattern refused already', () => {
    const { trial, calls } = timed(10_000, 10_000);
    expect(trialProblem(words(1_000).join('|'), 'test', 100, trial)).toBeUndefined();
    expect(trialProblem('(a)\\1', 'test', 100, trial)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  test(`texts the length of Tencent's largest message, of the pattern's own pieces whole and cut short`, () => {
    const texts = trialTexts('\\b(?:darn|heck)\\b');
    expect(texts.map((text) => text.length)).toEqual([trialTextUnits, trialTextUnits, trialTextUnits]);
    expect(texts[0]!.startsWith('darn heck darn heck')).toBe(true);
    expect(texts[1]!.startsWith('dar hec dar hec')).toBe(true);
  });
});
