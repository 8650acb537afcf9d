/**
 * The folding `containsAny` compares under: Unicode NFKC (full-width `ｄａｒｎ` is `darn`, the `ﬁ`
 * ligature is `fi`), then case folding (`DARN` is `darn`, `ß` is `ss`). JavaScript has no case-fold
 * primitive; upper- then lower-casing gives full case folding's expansions (`ß` → `SS` → `ss`), and
 * the one context-dependent mapping, the final sigma, is folded to `σ` by hand. Words and texts go
 * through the same function, so what matters is that it is the same on both sides.
 */
export function foldText(text: string): string {
  const folded = text.normalize('NFKC').toUpperCase().toLowerCase();
  return folded.includes('ς') ? folded.replaceAll('ς', 'σ') : folded;
}

/** A folded text with, for each of its UTF-16 units, the range of the original text it came from. */
export interface FoldedText {
  readonly folded: string;
  readonly originStart: Int32Array;
  readonly originEnd: Int32Array;
}

/**
 * A character and the combining marks after it fold together (NFKC composes them); Hangul vowel and
 * final jamo join the syllable before them for the same reason.
 */
const segment = /[\p{M}\u1160-\u11FF]+|.[\p{M}\u1160-\u11FF]*/gsu;

/** Characters NFKC may compose with a neighbour: combining marks and Hangul jamo. */
const composing = /[\p{M}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF]/u;

/**
 * Each code point's fold when it folds on its own (neither it nor its fold composes with a
 * neighbour), found once per process: for the BMP, a table of the folded unit + 1 (the usual case),
 * `several` when the fold is longer (found in `longer`), `notAlone` when it does not fold alone.
 * `ﾞ` (U+FF9E) is not a mark but folds to one, so it does not fold alone.
 */
const unknownFold = 0;
const notAlone = -1;
const several = -2;
const bmpFolds = new Int32Array(0x10000);
const longer = new Map<number, string | null>();
function learnFold(codePoint: number, inTable: boolean): number {
  const character = String.fromCodePoint(codePoint);
  const folded = composing.test(character) ? null : foldText(character);
  const alone = folded === null || composing.test(folded) ? null : folded;
  if (!inTable || alone === null || alone.length !== 1) longer.set(codePoint, alone);
  const entry = alone === null ? notAlone : alone.length === 1 && inTable ? alone.charCodeAt(0) + 1 : several;
  if (inTable) bmpFolds[codePoint] = entry;
  return entry;
}
/** The entry for the code point at `at`: from the table outside surrogates, else `several` or `notAlone`. */
function foldEntry(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit < 0xd800 || unit > 0xdfff) {
    const entry = bmpFolds[unit]!;
    return entry === unknownFold ? learnFold(unit, true) : entry;
  }
  // A surrogate pair, or a lone surrogate (kept as it is, as foldText keeps it).
  const codePoint = text.codePointAt(at)!;
  const known = longer.get(codePoint);
  if (known === undefined) return learnFold(codePoint, false);
  return known === null ? notAlone : several;
}

/** How often, in units of the text, `foldWithOrigins` lets its caller look at the clock. */
const checkEvery = 4096;

/** UTF-16 units as a string, in slices: `fromCharCode` takes only so many arguments. */
function unitsToString(units: Uint16Array): string {
  let text = '';
  for (let at = 0; at < units.length; at += 8192) text += String.fromCharCode(...units.subarray(at, at + 8192));
  return text;
}

/**
 * `foldText`, keeping where each folded unit came from, for masking: a match in the folded text
 * covers the original characters its units came from (`ß` matched by `ss` masks the `ß`). A code
 * point that folds alone is folded from a table; a composing run with the character before it is
 * folded one segment at a time (a character and its marks), so it may differ from `foldText` on
 * text NFKC recomposes across segments; it is only used once `foldText` has found a word, to find
 * where. Linear, and a 1 MB message of ordinary text takes milliseconds (the segment regex alone
 * took 300 ms); one made of composing runs still takes hundreds, so `check` is called every few
 * thousand units, for a decision to stop there once past its deadline (decision-clock.ts).
 */
export function foldWithOrigins(text: string, check: () => void = () => undefined): FoldedText {
  let units = new Uint16Array(text.length + 8);
  let originStart = new Int32Array(units.length);
  let originEnd = new Int32Array(units.length);
  let size = 0;
  const room = (more: number) => {
    if (size + more <= units.length) return;
    const grown = Math.max(units.length * 2, size + more);
    const copy = <Array extends Uint16Array | Int32Array>(from: Array, to: Array) => {
      to.set(from);
      return to;
    };
    units = copy(units, new Uint16Array(grown));
    originStart = copy(originStart, new Int32Array(grown));
    originEnd = copy(originEnd, new Int32Array(grown));
  };
  const append = (part: string, start: number, end: number) => {
    room(part.length);
    for (let i = 0; i < part.length; i++) {
      units[size] = part.charCodeAt(i);
      originStart[size] = start;
      originEnd[size++] = end;
    }
  };
  let checkAt = checkEvery;
  for (let at = 0; at < text.length; ) {
    if (at >= checkAt) {
      check();
      checkAt = at + checkEvery;
    }
    const entry = foldEntry(text, at);
    const next = at + (text.codePointAt(at)! > 0xffff ? 2 : 1);
    const alone = entry !== notAlone && (next >= text.length || foldEntry(text, next) !== notAlone);
    if (alone && entry > 0) {
      room(1);
      units[size] = entry - 1;
      originStart[size] = at;
      originEnd[size++] = next;
      at = next;
    } else if (alone) {
      append(longer.get(text.codePointAt(at)!)!, at, next);
      at = next;
    } else {
      // This character and the composing run after it (or the run it starts), a segment at a time.
      let end = next;
      while (end < text.length && foldEntry(text, end) === notAlone) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
      for (const match of text.slice(at, end).matchAll(segment)) {
        if (at + match.index >= checkAt) {
          check();
          checkAt = at + match.index + checkEvery;
        }
        append(foldText(match[0]), at + match.index, at + match.index + match[0].length);
      }
      at = end;
    }
  }
  return { folded: unitsToString(units.subarray(0, size)), originStart: originStart.subarray(0, size), originEnd: originEnd.subarray(0, size) };
}
