import { foldText } from './text-fold.ts';
import { buildWordTrie } from './word-trie.ts';

/**
 * `containsAny`'s word lists: an Aho–Corasick automaton over UTF-16 code units, so one pass over a
 * text finds any of any number of words, in time proportional to the text. A policy's lists, mask
 * rules' included, are one automaton (a word of several lists is one word in it, and each hit maps
 * back to the lists it is in), so a thousand rules cost one fold and one pass per text.
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
 * The scans fold as they go: each code unit's fold is looked up once per process, and a text with
 * a character whose fold depends on its neighbours (combining marks, Hangul jamo, surrogate pairs,
 * `ß`, which becomes two) is folded whole first instead.
 */

export interface WordIndex {
  /** How many lists the automaton holds. */
  readonly lists: number;
  /** Whether the text, folded (text-fold.ts), contains a word of any list; stops at the first. */
  readonly contains: (text: string) => boolean;
  /** Which lists have a word in the text, folded: one pass. */
  readonly listsIn: (text: string) => ListsFound;
  /**
   * Where each list's words occur in an already folded text: `[start, end, …]` for every end, that
   * list's longest word ending there, in order of their ends (occurrences may overlap). Lists
   * without a word in the text are absent.
   */
  readonly findByList: (folded: string) => Map<number, number[]>;
}

/** The lists a text has a word of: `has[list]` is 1 for each, and `lists` names them in order. */
export interface ListsFound {
  readonly has: Uint8Array;
  readonly lists: readonly number[];
}

/** One list, as a rule's `containsAny` alone: the tests' view of the automaton. */
export interface WordList {
  readonly contains: (text: string) => boolean;
  /** `findByList` for the one list. */
  readonly find: (folded: string) => number[];
}

/** The largest transition table (entries; 16 MB), beyond which the automaton has none. */
const tableLimit = 1 << 22;
const unknown = -1;
const complex = -2;
const joining = /[\p{M}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uD800-\uDFFF]/u;

/** Called where a word ends (`end`, after its last unit), with the automaton's state; returning true stops the scan. */
type AtEnd = (state: number, end: number) => boolean;

export function compileWordIndex(lists: readonly (readonly string[])[]): WordIndex {
  const { alphabet, width, capacity, parent, classOf, depth, terminal, child, wordAt, folded } = buildWordTrie(lists.flat());
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

  // Which lists each folded word is in, worked out the first time a word is found (one list: all).
  let listsOfWord: Map<string, number[]> | undefined;
  const listsOf = (word: string): readonly number[] => {
    if (lists.length === 1) return [0];
    if (listsOfWord === undefined) {
      listsOfWord = new Map();
      let at = 0;
      lists.forEach((list, index) => {
        for (let end = at + list.length; at < end; at++) {
          const known = listsOfWord!.get(folded[at]!);
          if (known === undefined) listsOfWord!.set(folded[at]!, [index]);
          else if (known.at(-1) !== index) known.push(index);
        }
      });
    }
    return listsOfWord.get(word) ?? [];
  };
  // For each state where words end: `[list, length, …]`, each list once with its longest word ending
  // there (the state's own word first, then the shorter ones down its failure links).
  const outputs: (Int32Array | undefined)[] = [];
  const outputsAt = (state: number): Int32Array => {
    let known = outputs[state];
    if (known !== undefined) return known;
    const pairs: number[] = [];
    if (terminal[state]) for (const list of listsOf(wordAt(state))) pairs.push(list, depth[state]!);
    const shorter = failOf(state);
    if (state !== 0 && longestAt(shorter) > 0) {
      const rest = outputsAt(shorter);
      for (let i = 0; i < rest.length; i += 2) if (!pairs.some((value, at) => at % 2 === 0 && value === rest[i])) pairs.push(rest[i]!, rest[i + 1]!);
    }
    known = Int32Array.from(pairs);
    outputs[state] = known;
    return known;
  };

  /** A scan of a text already folded: a message with emoji or combining marks comes here. */
  const scanFolded =
    table === undefined
      ? (text: string, atEnd: AtEnd): boolean => {
          let state = 0;
          for (let i = 0; i < text.length; i++) {
            const unitClass = alphabet[text.charCodeAt(i)]!;
            if (unitClass === 0) {
              state = 0;
              continue;
            }
            const entry = step(state, unitClass);
            state = (entry < 0 ? -entry : entry) - 1;
            if (entry < 0 && atEnd(state, i + 1)) return true;
          }
          return false;
        }
      : (text: string, atEnd: AtEnd): boolean => {
          let row = 0;
          for (let i = 0; i < text.length; i++) {
            const unitClass = alphabet[text.charCodeAt(i)]!;
            let entry = table[row + unitClass]!;
            if (entry === 0) {
              next(row / width, unitClass);
              entry = table[row + unitClass]!;
            }
            if (entry < 0) {
              row = -entry - 1;
              if (atEnd(row / width, i + 1)) return true;
            } else row = entry - 1;
          }
          return false;
        };

  // Each code unit's class after folding, found the first time the unit is seen. A unit whose fold
  // is not one unit, or composes with its neighbours (`ﾞ` folds to a combining mark), is complex.
  const direct = new Int32Array(0x10000).fill(unknown);
  const classify = (unit: number): number => {
    const character = String.fromCharCode(unit);
    const unitFold = joining.test(character) ? '' : foldText(character);
    direct[unit] = unitFold.length === 1 && !joining.test(unitFold) ? alphabet[unitFold.charCodeAt(0)]! : complex;
    return direct[unit]!;
  };

  // The dense table's loop is written out: this is the hot path of a moderated message.
  const scan =
    table === undefined
      ? (text: string, atEnd: AtEnd): boolean => {
          let state = 0;
          for (let i = 0; i < text.length; i++) {
            const unit = text.charCodeAt(i);
            let unitClass = direct[unit]!;
            if (unitClass === unknown) unitClass = classify(unit);
            if (unitClass <= 0) {
              if (unitClass === complex) return scanFolded(foldText(text), atEnd);
              state = 0;
              continue;
            }
            const entry = step(state, unitClass);
            state = (entry < 0 ? -entry : entry) - 1;
            if (entry < 0 && atEnd(state, i + 1)) return true;
          }
          return false;
        }
      : (text: string, atEnd: AtEnd): boolean => {
          // Class 0 has its column too (every entry leads back to the start), so the loop has one
          // branch for the class and one for the entry, both almost never taken once warm.
          let row = 0;
          for (let i = 0; i < text.length; i++) {
            let unitClass = direct[text.charCodeAt(i)]!;
            if (unitClass < 0) {
              if (unitClass === unknown) unitClass = classify(text.charCodeAt(i));
              // Found words are forgotten: the whole text is scanned again, folded.
              if (unitClass === complex) return scanFolded(foldText(text), atEnd);
            }
            let entry = table[row + unitClass]!;
            if (entry <= 0) {
              if (entry === 0) {
                next(row / width, unitClass);
                entry = table[row + unitClass]!;
              }
              if (entry < 0) {
                row = -entry - 1;
                if (atEnd(row / width, i + 1)) return true;
                continue;
              }
            }
            row = entry - 1;
          }
          return false;
        };

  const stop: AtEnd = () => true;
  return {
    lists: lists.length,
    contains: (text) => scan(text, stop),
    listsIn(text) {
      const has = new Uint8Array(lists.length);
      const found: number[] = [];
      const mark: AtEnd = (state) => {
        const pairs = outputsAt(state);
        for (let i = 0; i < pairs.length; i += 2) {
          if (has[pairs[i]!] === 0) {
            has[pairs[i]!] = 1;
            found.push(pairs[i]!);
          }
        }
        return found.length === lists.length;
      };
      // A text with a complex unit is scanned again, folded whole: what the part before it found
      // stays found, as a rule's own list would have stopped there.
      scan(text, mark);
      return { has, lists: found.sort((a, b) => a - b) };
    },
    findByList(text) {
      const found = new Map<number, number[]>();
      scanFolded(text, (state, end) => {
        const pairs = outputsAt(state);
        for (let i = 0; i < pairs.length; i += 2) {
          const ranges = found.get(pairs[i]!);
          if (ranges === undefined) found.set(pairs[i]!, [end - pairs[i + 1]!, end]);
          else ranges.push(end - pairs[i + 1]!, end);
        }
        return false;
      });
      return found;
    },
  };
}

/** One list: `compileWordIndex` for a single rule's words. */
export function compileWordList(list: readonly string[]): WordList {
  const index = compileWordIndex([list]);
  return { contains: index.contains, find: (folded) => index.findByList(folded).get(0) ?? [] };
}
