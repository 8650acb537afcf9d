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

/**
 * `foldText`, keeping where each folded unit came from, for masking: a match in the folded text
 * covers the original characters its units came from (`ß` matched by `ss` masks the `ß`). Folded one
 * character at a time, so it may differ from `foldText` on text NFKC recomposes across characters;
 * it is only used once `foldText` has found a word, to find where.
 */
export function foldWithOrigins(text: string): FoldedText {
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of text.matchAll(segment)) {
    const start = match.index;
    const end = start + match[0].length;
    const folded = foldText(match[0]);
    parts.push(folded);
    for (let unit = 0; unit < folded.length; unit++) {
      starts.push(start);
      ends.push(end);
    }
  }
  return { folded: parts.join(''), originStart: Int32Array.from(starts), originEnd: Int32Array.from(ends) };
}
