import { foldText } from './text-fold.ts';
import { buildWordTrie } from './word-trie.ts';

/**
 * `containsAny`'s word list: an Aho–Corasick automaton over UTF-16 code units, so one pass over a
 * text finds any of any number of words, in time proportional to the text.
 *
 * Hand-written rather than taken from `modern-ahocorasick` (the tests use it as the oracle): that
 * library segments text into grapheme clusters with `Intl.Segmenter`, and measured here (10,000
 * words, 2 KB of text) it took 30–65 ms to build and 25× one NFKC pass to search, where the issue
 * allows 15 ms and 3×. To build fast in a cold process, the load does only the cheap part: the words
 * are folded in one call and sorted (word-trie.ts). The trie's nodes, failure links and the
 * transition table are worked out when a text first needs them and kept (a lazy DFA): each
 * (state, character) pair costs once per process, and a warm decision is one table lookup per
 * character. A large alphabet (a CJK list has thousands of characters) gets no table, only the
 * trie and failure links, still linear.
 *
 * `contains` folds as it goes: each code unit's fold is looked up once per process, and a text with
 * a character whose fold depends on its neighbours (combining marks, Hangul jamo, surrogate pairs,
 * `ß`, which becomes two) is folded whole first instead.
 */

export interface WordList {
  /** Whether the text, folded (text-fold.ts), contains one of the folded words. */
  readonly contains: (text: string) => boolean;
  /**
   * Where words occur in an already folded text: `[start, end, …]`, for each end the longest word
   * ending there, in order of their ends (occurrences may overlap).
   */
  readonly find: (folded: string) => number[];
}

/** The largest transition table (entries; 16 MB), beyond which the automaton has none. */
const tableLimit = 1 << 22;
const unknown = -1;
const complex = -2;
const joining = /[\p{M}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uD800-\uDFFF]/u;

export function compileWordList(list: readonly string[]): WordList {
  const { alphabet, width, capacity, parent, classOf, depth, terminal, child } = buildWordTrie(list);
  const fail = new Int32Array(capacity).fill(unknown);
  const longest = new Int32Array(capacity).fill(unknown);
  fail[0] = 0;
  longest[0] = 0;
  // `table[state * width + class]`: 0 not yet known, else the next state's row (state × width) + 1,
  // negated when a word ends there, so the hot loop neither multiplies nor looks up outputs.
  const table = capacity * width <= tableLimit ? new Int32Array(capacity * width) : undefined;

  const failOf = (state: number): number => {
    if (fail[state]! === unknown) fail[state] = parent[state] === 0 ? 0 : next(failOf(parent[state]!), classOf[state]!);
    return fail[state]!;
  };
  const longestAt = (state: number): number => {
    if (longest[state]! === unknown) longest[state] = terminal[state] ? depth[state]! : longestAt(failOf(state));
    return longest[state]!;
  };
  function next(state: number, unitClass: number): number {
    if (table !== undefined) {
      const entry = table[state * width + unitClass]!;
      if (entry !== 0) return ((entry < 0 ? -entry : entry) - 1) / width;
    }
    let target = child(state, unitClass);
    if (target === 0 && state !== 0) target = next(failOf(state), unitClass);
    if (table !== undefined) table[state * width + unitClass] = (longestAt(target) > 0 ? -1 : 1) * (target * width + 1);
    return target;
  }
  /** The step as the scans take it: the next state + 1, negated when a word ends there. */
  const step = (state: number, unitClass: number) => {
    const target = next(state, unitClass);
    return longestAt(target) > 0 ? -(target + 1) : target + 1;
  };

  /** `contains` for a text already folded: a message with emoji or combining marks comes here. */
  const containsFolded = table === undefined
    ? (folded: string): boolean => {
        let state = 0;
        for (let i = 0; i < folded.length; i++) {
          const unitClass = alphabet[folded.charCodeAt(i)]!;
          if (unitClass === 0) {
            state = 0;
            continue;
          }
          const entry = step(state, unitClass);
          if (entry < 0) return true;
          state = entry - 1;
        }
        return false;
      }
    : (folded: string): boolean => {
        let row = 0;
        for (let i = 0; i < folded.length; i++) {
          const unitClass = alphabet[folded.charCodeAt(i)]!;
          let entry = table[row + unitClass]!;
          if (entry <= 0) {
            if (entry < 0) return true;
            next(row / width, unitClass);
            entry = table[row + unitClass]!;
            if (entry < 0) return true;
          }
          row = entry - 1;
        }
        return false;
      };

  // Each code unit's class after folding, found the first time the unit is seen.
  const direct = new Int32Array(0x10000).fill(unknown);
  const classify = (unit: number): number => {
    const character = String.fromCharCode(unit);
    const folded = joining.test(character) ? '' : foldText(character);
    direct[unit] = folded.length === 1 ? alphabet[folded.charCodeAt(0)]! : complex;
    return direct[unit]!;
  };

  // The dense table's loop is written out: this is the hot path of a moderated message.
  const contains = table === undefined
    ? (text: string): boolean => {
        let state = 0;
        for (let i = 0; i < text.length; i++) {
          const unit = text.charCodeAt(i);
          let unitClass = direct[unit]!;
          if (unitClass === unknown) unitClass = classify(unit);
          if (unitClass <= 0) {
            if (unitClass === complex) return containsFolded(foldText(text));
            state = 0;
            continue;
          }
          const entry = step(state, unitClass);
          if (entry < 0) return true;
          state = entry - 1;
        }
        return false;
      }
    : (text: string): boolean => {
        // Class 0 has its column too (every entry leads back to the start), so the loop has one
        // branch for the class and one for the entry, both almost never taken once warm.
        let row = 0;
        for (let i = 0; i < text.length; i++) {
          let unitClass = direct[text.charCodeAt(i)]!;
          if (unitClass < 0) {
            if (unitClass === unknown) unitClass = classify(text.charCodeAt(i));
            if (unitClass === complex) return containsFolded(foldText(text));
          }
          let entry = table[row + unitClass]!;
          if (entry <= 0) {
            if (entry < 0) return true;
            next(row / width, unitClass);
            entry = table[row + unitClass]!;
            if (entry < 0) return true;
          }
          row = entry - 1;
        }
        return false;
      };

  return {
    contains,
    find(folded) {
      const found: number[] = [];
      let state = 0;
      for (let i = 0; i < folded.length; i++) {
        const unitClass = alphabet[folded.charCodeAt(i)]!;
        if (unitClass === 0) {
          state = 0;
          continue;
        }
        const entry = step(state, unitClass);
        state = (entry < 0 ? -entry : entry) - 1;
        if (entry < 0) found.push(i + 1 - longestAt(state), i + 1);
      }
      return found;
    },
  };
}
