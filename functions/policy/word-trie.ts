import { foldText } from './text-fold.ts';

/**
 * The trie of a word list, made as it is walked: the load folds the words in one call and sorts
 * them (natively: a radix sort done here in JavaScript measured slower in a cold process); a node is
 * the range of sorted words sharing its prefix, and its children are found by binary search on the
 * next character the first time a text needs them. A cold start pays for the nodes its first
 * messages reach, not for all of them (a 10,000-word list has ~50,000).
 */
export interface WordTrie {
  /** Folded code unit → class (1…), 0 for a unit no word has. */
  readonly alphabet: Int32Array;
  /** Classes + 1 (class 0 included). */
  readonly width: number;
  /** At most this many nodes, the root (0) included. */
  readonly capacity: number;
  readonly parent: Int32Array;
  readonly classOf: Int32Array;
  readonly depth: Int32Array;
  /** 1 where a word ends. */
  readonly terminal: Uint8Array;
  /** The node's child by that class, or 0. */
  readonly child: (state: number, unitClass: number) => number;
  /** The folded word a terminal node ends. */
  readonly wordAt: (state: number) => string;
  /** The words folded, in the order given. */
  readonly folded: readonly string[];
}

/**
 * The words folded, in one call where they can be (NFKC and case mapping never cross a line break),
 * all of them in one text (with line breaks between them when `separated`).
 */
function foldWords(list: readonly string[]): { words: string[]; text: string; separated: boolean } {
  const joined = list.join('\n');
  if (joined.split('\n').length !== list.length) {
    const words = list.map(foldText);
    return { words, text: words.join(''), separated: false };
  }
  const text = foldText(joined);
  return { words: text.split('\n'), text, separated: true };
}

export function buildWordTrie(list: readonly string[]): WordTrie {
  const folded = foldWords(list);
  // An empty word sorts first and is skipped by the root like a prefix: it matches nothing.
  const words = [...folded.words].sort();
  // Classes number the code units words are made of, from 1; 0 is every other unit.
  const alphabet = new Int32Array(0x10000);
  let width = 1;
  const { text, separated } = folded;
  // The distinct code units, found natively: a loop over every unit of the list took twice as long cold.
  for (const unit of new Set(text.split(''))) {
    if (!(separated && unit === '\n')) alphabet[unit.charCodeAt(0)] = width++;
  }

  // At most one node per code unit of the words, and the root.
  const capacity = text.length + 1;
  const parent = new Int32Array(capacity);
  const classOf = new Int32Array(capacity);
  const depth = new Int32Array(capacity);
  const terminal = new Uint8Array(capacity);
  const expanded = new Uint8Array(capacity);
  const low = new Int32Array(capacity);
  const high = new Int32Array(capacity);
  const firstChild = new Int32Array(capacity);
  const nextSibling = new Int32Array(capacity);
  const rootChild = new Int32Array(width);
  high[0] = words.length;
  let states = 1;

  const expand = (node: number) => {
    expanded[node] = 1;
    const at = depth[node]!;
    const end = high[node]!;
    let first = low[node]!;
    // The word that is this node's prefix itself sorts first (the node is terminal for it).
    while (first < end && words[first]!.length === at) first++;
    let last = 0;
    while (first < end) {
      const unit = words[first]!.charCodeAt(at);
      // The words past the prefix are sorted on this character: the group's end by binary search,
      // so a node costs its children, not its words (the root has every word).
      let after = first + 1;
      let beyond = end;
      while (after < beyond) {
        const middle = (after + beyond) >>> 1;
        if (words[middle]!.charCodeAt(at) <= unit) after = middle + 1;
        else beyond = middle;
      }
      const state = states++;
      parent[state] = node;
      classOf[state] = alphabet[unit]!;
      depth[state] = at + 1;
      low[state] = first;
      high[state] = after;
      terminal[state] = words[first]!.length === at + 1 ? 1 : 0;
      if (node === 0) rootChild[classOf[state]!] = state;
      else if (last === 0) firstChild[node] = state;
      else nextSibling[last] = state;
      last = state;
      first = after;
    }
  };
  const child = (state: number, unitClass: number): number => {
    if (expanded[state] === 0) expand(state);
    if (state === 0) return rootChild[unitClass]!;
    for (let next = firstChild[state]!; next !== 0; next = nextSibling[next]!) if (classOf[next] === unitClass) return next;
    return 0;
  };
  return { alphabet, width, capacity, parent, classOf, depth, terminal, child, wordAt: (state) => words[low[state]!]!, folded: folded.words };
}
