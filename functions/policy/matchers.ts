import { comparable } from './comparable.ts';
import type { DecisionClock } from './decision-clock.ts';
import { compilePattern } from './linear-pattern.ts';
import { type TrialTimes, unitsPerKb } from './pattern-cost.ts';
import type { Rule } from './policy-schema.ts';
import type { PolicyWords } from './policy-words.ts';

/** What a rule's matchers share with the policy's other rules. */
export interface MatcherContext {
  /** The decision's deadline: every value is a chance to stop, and a pattern must fit in what is left. */
  readonly clock: DecisionClock;
  /** The policy's word lists, one automaton (policy-words.ts). */
  readonly words: PolicyWords;
  /** The rule's list in `words`, when it has `containsAny`. */
  readonly list?: number;
  /** What the rule's pattern costs per KB of text, to test and to find (its load-time trial). */
  readonly patternCost: (pattern: string) => TrialTimes;
}

/** A rule's matchers, compiled once: patterns to RE2 programs, word lists into the policy's automaton. */
export interface ValueMatcher {
  /** Whether a value matches every matcher of the rule. */
  readonly matches: (value: string) => boolean;
  /** The same for any value of a body: only strings and numbers can match. */
  readonly matchesValue: (value: unknown) => boolean;
  /**
   * What containsAny and pattern found in a value, as `[start, end, …]` UTF-16 ranges of the value
   * itself (not of its folded form): what a mask replaces.
   */
  readonly ranges: (value: string) => number[];
  /**
   * The rule's list in the policy's words when `containsAny` is its only matcher: it then matches
   * exactly the texts that have a word of that list, which one scan finds for all such rules.
   */
  readonly wordList?: number;
}

/** Code points, counted only when the UTF-16 length leaves a doubt. */
const longerThan = (value: string, limit: number) => {
  if (value.length <= limit) return false;
  let count = 0;
  for (const _ of value) if (++count > limit) return true;
  return false;
};

/** The value matchers of a rule, or of one of its `unless` entries. */
export type ValueMatchers = Pick<Rule, 'in' | 'notIn' | 'maxLength' | 'pattern' | 'containsAny'>;

export function compileMatchers(rule: ValueMatchers, { clock, words, list, patternCost }: MatcherContext): ValueMatcher {
  const tests: ((value: string) => boolean)[] = [];
  const finders: ((value: string) => number[])[] = [];
  // Cheapest first: a decision stops at the first matcher that fails. A word list is one pass for
  // all of the policy's rules on a text, usually made already.
  if (rule.in !== undefined) {
    const listed = new Set(rule.in);
    tests.push((value) => listed.has(value));
  }
  if (rule.notIn !== undefined) {
    const listed = new Set(rule.notIn);
    tests.push((value) => !listed.has(value));
  }
  if (rule.maxLength !== undefined) {
    const limit = rule.maxLength;
    tests.push((value) => longerThan(value, limit));
  }
  if (rule.containsAny !== undefined && list !== undefined) {
    tests.push((value) => words.has(value, list));
    finders.push((value) => words.ranges(value, list));
  }
  if (rule.pattern !== undefined) {
    const pattern = compilePattern(rule.pattern);
    const cost = patternCost(rule.pattern);
    // RE2 cannot be interrupted: a text it cannot finish in time is not started.
    tests.push((value) => {
      clock.afford((cost.testMs * value.length) / unitsPerKb);
      return pattern.test(value);
    });
    finders.push((value) => {
      clock.afford((cost.findMs * value.length) / unitsPerKb);
      return pattern.find(value);
    });
  }
  const matches = tests.length === 1 ? tests[0]! : (value: string) => tests.every((test) => test(value));
  const onlyWords = list !== undefined && tests.length === 1;
  return {
    ...(onlyWords ? { wordList: list } : {}),
    matches,
    matchesValue: (value) => {
      clock.check();
      const text = comparable(value);
      return text !== undefined && matches(text);
    },
    ranges: (value) => (finders.length === 1 ? finders[0]!(value) : finders.flatMap((find) => find(value))),
  };
}
