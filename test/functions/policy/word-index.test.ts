import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import AhoCorasick from 'modern-ahocorasick';
import * as v from 'valibot';
import type { Body } from '../../../functions/commands/definition.ts';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import type { Decision } from '../../../functions/policy/decision.ts';
import { maskText, type TextMask } from '../../../functions/policy/mask.ts';
import { compilePolicy } from '../../../functions/policy/policy.ts';
import { type Policy, PolicySchema, type Rule } from '../../../functions/policy/policy-schema.ts';
import { foldText, foldWithOrigins } from '../../../functions/policy/text-fold.ts';
import { compileWordIndex, compileWordList } from '../../../functions/policy/word-list.ts';
import { propertyParameters } from '../../support/seed.ts';
import { testPolicyOptions } from '../../support/test-settings.ts';
import { actingPolicy, text } from './test-families.ts';

/**
 * Every `containsAny` of a policy, mask rules' included, is one automaton (issue 17): a hit maps
 * back to the lists its word is in. It must decide exactly as the rules did one by one, each with
 * its own automaton; the oracle here is that, and modern-ahocorasick for the automaton itself.
 */
const send = commandDefinition('Group.CallbackBeforeSendMsg');
const TEXT = 'MsgBody[].MsgContent.Text';

/** Letters whose fold is themselves or one other, and some that take the whole-text fold (as in matchers.test.ts). */
const letter = fc.constantFrom('a', 'b', 'c', 'A', 'ß', 'e\u0301', 'é', '😀', '话');
const wordOf = fc.string({ unit: letter, minLength: 1, maxLength: 3 });
const listOf = fc.array(wordOf, { minLength: 1, maxLength: 6 });

/** For each end, the longest word ending there: `[start, end, …]`, from modern-ahocorasick on the folded words. */
function oracleFind(words: readonly string[], folded: string): number[] {
  const longest = new Map<number, number>();
  for (const { start, end } of new AhoCorasick(words.map(foldText)).search(folded)) longest.set(end, Math.max(longest.get(end) ?? 0, end - start));
  return [...longest].sort(([a], [b]) => a - b).flatMap(([end, length]) => [end - length, end]);
}

describe('one automaton for several lists', () => {
  test('finds, for each list, what that list alone finds (property)', () => {
    fc.assert(
      fc.property(fc.array(listOf, { minLength: 1, maxLength: 6 }), fc.string({ unit: letter, maxLength: 40 }), (lists, value) => {
        const index = compileWordIndex(lists);
        const folded = foldText(value);
        const present = index.listsIn(value);
        const found = index.findByList(folded);
        lists.forEach((words, list) => {
          const expected = oracleFind(words, folded);
          expect(found.get(list) ?? []).toEqual(expected);
          expect(present.has[list]).toBe(expected.length > 0 ? 1 : 0);
          expect(present.lists.includes(list)).toBe(expected.length > 0);
          expect(compileWordList(words).contains(value)).toBe(expected.length > 0);
        });
        expect(index.contains(value)).toBe(present.lists.length > 0);
      }),
      propertyParameters('word index: lists', { numRuns: 300 }),
    );
  });

  test('a word in several lists is found for each; a shorter word of another list ending at the same place too', () => {
    const index = compileWordIndex([['darn', 'heck'], ['heck'], ['eck'], ['blast']]);
    expect(index.listsIn('oh HECK')).toEqual({ has: Uint8Array.from([1, 1, 1, 0]), lists: [0, 1, 2] });
    expect(index.findByList('oh heck')).toEqual(
      new Map([
        [0, [3, 7]],
        [1, [3, 7]],
        [2, [4, 7]],
      ]),
    );
  });
});

/** The decision as the rules gave it one by one, each with its own automaton: the behaviour before issue 17. */
function ruleByRule(policy: Policy, body: { MsgBody: unknown[] }): Decision {
  const texts = body.MsgBody.map((element) => (element as { MsgContent?: { Text?: unknown } }).MsgContent?.Text).filter(
    (value): value is string => typeof value === 'string',
  );
  const lists = new Map(policy.rules.map((rule) => [rule, compileWordList(rule.containsAny!)]));
  const matches = (rule: Rule, value: string) => lists.get(rule)!.contains(value) && (rule.maxLength === undefined || [...value].length > rule.maxLength);
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.mask !== undefined || !texts.some((value) => matches(rule, value))) continue;
    return rule.refuse ? { action: 'refuse', code: rule.refuse.code, info: rule.refuse.info, rule: index } : { action: 'drop', rule: index };
  }
  const applied = new Set<number>();
  let changed = false;
  const value = body.MsgBody.map((element) => {
    const original = (element as { MsgContent?: { Text?: unknown } }).MsgContent?.Text;
    if (typeof original !== 'string') return element;
    const masks: TextMask[] = [];
    for (const [index, rule] of policy.rules.entries()) {
      if (rule.mask === undefined || !matches(rule, original)) continue;
      const { folded, originStart, originEnd } = foldWithOrigins(original);
      const ranges = lists
        .get(rule)!
        .find(folded)
        .map((at, i) => (i % 2 === 0 ? originStart[at]! : originEnd[at - 1]!));
      if (ranges.length === 0) continue;
      applied.add(index);
      masks.push({ ranges, character: rule.mask });
    }
    const masked = maskText(original, masks);
    if (masked === original) return element;
    changed = true;
    return { ...(element as object), MsgContent: { ...(element as { MsgContent: object }).MsgContent, Text: masked } };
  });
  return changed ? { action: 'rewrite', field: 'MsgBody', value, rules: [...applied].sort((a, b) => a - b) } : { action: 'allow' };
}

describe('decisions, combined as one by one', () => {
  const action = fc.oneof(
    fc.constant({ mask: '*' }),
    fc.constant({ mask: '#' }),
    fc.constant({ drop: true as const }),
    fc.integer({ min: 10100, max: 10200 }).map((code) => ({ refuse: { code, info: `no ${code}` } })),
  );
  const rule = fc
    .record({ containsAny: listOf, action, maxLength: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) })
    .map(({ containsAny, action, maxLength }) => ({
      command: send.command,
      field: TEXT,
      containsAny,
      ...(maxLength === undefined ? {} : { maxLength }),
      ...action,
    }));
  const element = fc.oneof(
    fc.string({ unit: fc.oneof(letter, fc.constantFrom(' ', 'x', '!')), maxLength: 30 }).map(text),
    fc.constant({ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'abc' } }),
  );

  test('the same decision, rule order and overlaps included (property)', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 12 }), fc.array(element, { minLength: 1, maxLength: 5 }), (rules, msgBody) => {
        const policy = v.parse(PolicySchema, { rules });
        const body = { MsgBody: msgBody };
        expect(actingPolicy(compilePolicy(policy, testPolicyOptions))(send, body as Body)).toEqual(ruleByRule(policy, body));
      }),
      propertyParameters('word index: decisions', { numRuns: 300 }),
    );
  });

  test('1,000 mask rules of 10 words: one automaton, one pass per text field, and the masks of rule by rule', () => {
    const rules = Array.from({ length: 1_000 }, (_, rule) => ({
      command: send.command,
      field: TEXT,
      containsAny: Array.from({ length: 10 }, (_, word) => `w${rule}x${word}y`),
      mask: rule % 2 === 0 ? '*' : '#',
    }));
    const policy = v.parse(PolicySchema, { rules });
    const decide = actingPolicy(compilePolicy(policy, testPolicyOptions));
    expect(decide.words()).toEqual({ automata: 1, lists: 1_000, scans: 0, finds: 0 });

    const body = { MsgBody: [text('nothing to see here'), text('say W3X4Y and w998x0y, W3X4Y'), text('nor here'), text('nothing to see here')] };
    const decision = decide(send, body);
    expect(decision).toEqual(ruleByRule(policy, body));
    expect(decision).toMatchObject({
      action: 'rewrite',
      rules: [3, 998],
      value: [text('nothing to see here'), text('say ##### and *******, #####'), text('nor here'), text('nothing to see here')],
    });
    // Three distinct texts scanned once each (the repeated one is the same text), and only the one
    // with words searched again for where they are.
    expect(decide.words()).toEqual({ automata: 1, lists: 1_000, scans: 3, finds: 1 });
  });

  test('1,000 drop rules of 10 words: one scan per text field, and the first rule whose words are there decides', () => {
    const rules = Array.from({ length: 1_000 }, (_, rule) => ({
      command: send.command,
      field: TEXT,
      containsAny: Array.from({ length: 10 }, (_, word) => `w${rule}x${word}y`),
      drop: true,
    }));
    const policy = v.parse(PolicySchema, { rules });
    const decide = actingPolicy(compilePolicy(policy, testPolicyOptions));
    const body = { MsgBody: [text('nothing here'), text('but W998X3Y and w7x0y'), text('nothing here')] };
    expect(decide(send, body)).toEqual({ action: 'drop', rule: 7 });
    // Two distinct texts (the first and the last are the same), each scanned once for the 1,000 rules.
    expect(decide.words()).toEqual({ automata: 1, lists: 1_000, scans: 2, finds: 0 });
    expect(decide(send, body)).toEqual(ruleByRule(policy, body));
  });
});
