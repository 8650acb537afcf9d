import { compilePattern } from './linear-pattern.ts';
import type { Rule } from './policy-schema.ts';
import { foldWithOrigins } from './text-fold.ts';
import { compileWordList } from './word-list.ts';

/** A rule's matchers, compiled once: patterns to RE2 programs, word lists to one automaton each. */
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
}

/**
 * Only strings and numbers are compared: an absent field, or an object where a string was expected,
 * matches nothing, so a rule never refuses on data it cannot read (Tencent's own default is to allow).
 */
export const comparable = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Code points, counted only when the UTF-16 length leaves a doubt. */
const longerThan = (value: string, limit: number) => {
  if (value.length <= limit) return false;
  let count = 0;
  for (const _ of value) if (++count > limit) return true;
  return false;
};

export function compileMatchers(rule: Rule): ValueMatcher {
  const tests: ((value: string) => boolean)[] = [];
  const finders: ((value: string) => number[])[] = [];
  // Cheapest first: a decision stops at the first matcher that fails.
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
  if (rule.pattern !== undefined) {
    const pattern = compilePattern(rule.pattern);
    tests.push(pattern.test);
    finders.push(pattern.find);
  }
  if (rule.containsAny !== undefined) {
    const words = compileWordList(rule.containsAny);
    tests.push(words.contains);
    finders.push((value) => {
      const { folded, originStart, originEnd } = foldWithOrigins(value);
      const found = words.find(folded);
      for (let i = 0; i < found.length; i += 2) {
        found[i] = originStart[found[i]!]!;
        found[i + 1] = originEnd[found[i + 1]! - 1]!;
      }
      return found;
    });
  }
  const matches = tests.length === 1 ? tests[0]! : (value: string) => tests.every((test) => test(value));
  return {
    matches,
    matchesValue: (value) => {
      const text = comparable(value);
      return text !== undefined && matches(text);
    },
    ranges: (value) => finders.flatMap((find) => find(value)),
  };
}
