import type { DecisionClock } from './decision-clock.ts';
import { foldWithOrigins } from './text-fold.ts';
import { compileWordIndex, type ListsFound, type WordIndex } from './word-list.ts';

/** What the policy's word automaton has done, for the tests and the bench: one automaton, a pass per text. */
export interface WordCounts {
  /** Automata built: one for all of the policy's `containsAny` lists, none without any. */
  readonly automata: number;
  /** The lists in it, one per rule with `containsAny`. */
  readonly lists: number;
  /** Passes over a text to find which lists it has a word of. */
  readonly scans: number;
  /** Passes over a folded text to find where (for masks). */
  readonly finds: number;
}

/**
 * Every `containsAny` of a policy in one automaton (word-list.ts), and what it found in the texts of
 * the decision under way: however many rules look at a text, it is folded and scanned once, and
 * folded with origins and searched once more only if a mask needs to know where. A rule asks by its
 * list number. Decisions are synchronous, so one decision's texts are all there is to remember;
 * `clear` forgets them when it ends.
 */
export class PolicyWords {
  readonly #index: WordIndex | undefined;
  readonly #clock: DecisionClock;
  readonly #present = new Map<string, ListsFound>();
  readonly #found = new Map<string, Map<number, number[]>>();
  #scans = 0;
  #finds = 0;

  constructor(lists: readonly (readonly string[])[], clock: DecisionClock) {
    this.#index = lists.length === 0 ? undefined : compileWordIndex(lists);
    this.#clock = clock;
  }

  /** How many lists the policy has. */
  get lists(): number {
    return this.#index?.lists ?? 0;
  }

  /** Which lists the text, folded, has a word of. */
  present(text: string): ListsFound {
    let present = this.#present.get(text);
    if (present === undefined) {
      present = this.#index?.listsIn(text) ?? { has: new Uint8Array(0), lists: [] };
      this.#scans++;
      this.#present.set(text, present);
    }
    return present;
  }

  /** Whether the text, folded, contains a word of the list. */
  has(text: string, list: number): boolean {
    return this.present(text).has[list] === 1;
  }

  /** Where the list's words are in the text: `[start, end, …]` in its own UTF-16 units, for a mask. */
  ranges(text: string, list: number): number[] {
    let found = this.#found.get(text);
    if (found === undefined) {
      // The slowest step on a long text of composing characters: it looks at the clock as it goes.
      const { folded, originStart, originEnd } = foldWithOrigins(text, () => this.#clock.check());
      found = this.#index!.findByList(folded);
      this.#finds++;
      for (const ranges of found.values()) {
        for (let i = 0; i < ranges.length; i += 2) {
          ranges[i] = originStart[ranges[i]!]!;
          ranges[i + 1] = originEnd[ranges[i + 1]! - 1]!;
        }
      }
      this.#found.set(text, found);
    }
    return found.get(list) ?? [];
  }

  /** The decision is over: its texts are forgotten. */
  clear(): void {
    this.#present.clear();
    this.#found.clear();
  }

  get counts(): WordCounts {
    return { automata: this.#index === undefined ? 0 : 1, lists: this.#index?.lists ?? 0, scans: this.#scans, finds: this.#finds };
  }
}
