import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import AhoCorasick from 'modern-ahocorasick';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import { compilePattern, toRe2Syntax } from '../../../functions/policy/linear-pattern.ts';
import { foldText, foldWithOrigins } from '../../../functions/policy/text-fold.ts';
import { compileWordList } from '../../../functions/policy/word-list.ts';
import { testSeed } from '../../support/seed.ts';
import { compileRules, text } from './test-families.ts';

/** The matchers on their own: folding, the word automaton, patterns on RE2. */
const SEED = testSeed('policy matchers');

const send = commandDefinition('Group.CallbackBeforeSendMsg');
const TEXT = 'MsgBody[].MsgContent.Text';

describe('containsAny folds NFKC and case', () => {
  const decide = compileRules({ command: send.command, field: TEXT, containsAny: ['darn'], drop: true });
  test.each([['darn'], ['DARN'], ['Darn'], ['ｄａｒｎ'], ['ＤＡＲＮ'], ['oh, darned!'], ['…ｄarn…']])('%s contains darn', (value) => {
    expect(decide(send, { MsgBody: [text(value)] })).toMatchObject({ action: 'drop' });
  });
  test.each([['dam'], ['d a r n'], ['']])('%s does not', (value) => {
    expect(decide(send, { MsgBody: [text(value)] })).toEqual({ action: 'allow' });
  });

  test('words are folded too, and ß meets ss, final sigma meets sigma', () => {
    const words = compileRules({ command: send.command, field: TEXT, containsAny: ['ＳＰＡＭ', 'STRASSE', 'ΣΟΦΟΣ'], drop: true });
    for (const value of ['spam', 'straße', 'σοφος', 'ΣΟΦΟΣ', 'σοφοσ']) expect(words(send, { MsgBody: [text(value)] })).toMatchObject({ action: 'drop' });
  });

  test('the folded text maps each unit back to the characters it came from', () => {
    const { folded, originStart, originEnd } = foldWithOrigins('aＢß😀e\u0301');
    expect(folded).toBe(foldText('aＢß😀e\u0301'));
    expect([...originStart]).toEqual([0, 1, 2, 2, 3, 3, 5]);
    expect([...originEnd]).toEqual([1, 2, 3, 3, 5, 5, 7]);
  });
});

describe('the word automaton', () => {
  test('a list of 10,000 words: every word found, a text without them not', () => {
    const random = fc.sample(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 6, maxLength: 12 }), {
      numRuns: 10_000,
      seed: SEED,
    });
    const words = [...new Set(random)];
    const list = compileWordList(words);
    for (const word of words.slice(0, 500)) expect(list.contains(`xx ${word.toUpperCase()} yy`)).toBe(true);
    expect(list.contains('1234567890 '.repeat(200))).toBe(false);
    const decide = compileRules({ command: send.command, field: TEXT, containsAny: words, refuse: { code: 10101 } });
    expect(decide(send, { MsgBody: [text(`hello ${words[9_000]!.toUpperCase()}!`)] })).toMatchObject({ action: 'refuse' });
  });

  test('a large alphabet (CJK) takes the sparse automaton and finds the same', () => {
    const han = fc.constantFrom(...Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + i)));
    const words = [...new Set(fc.sample(fc.string({ unit: han, minLength: 2, maxLength: 4 }), { numRuns: 10_000, seed: SEED }))];
    const list = compileWordList(words);
    const oracle = new AhoCorasick(words);
    const texts = fc.sample(fc.string({ unit: han, maxLength: 300 }), { numRuns: 50, seed: SEED });
    for (const value of texts) {
      expect(list.contains(value)).toBe(oracle.match(value));
      // An emoji sends the text down the path that folds it whole first.
      expect(list.contains(`😀${value}`)).toBe(oracle.match(value));
    }
  });

  test('finds the same occurrences as modern-ahocorasick (property)', () => {
    // Letters whose fold is themselves or one other letter, so the oracle (which does not fold) can
    // be given the folded words and text; ß, é and 😀 take the paths that fold the whole text.
    const letter = fc.constantFrom('a', 'b', 'c', 'A', 'ß', 'e\u0301', 'é', '😀', '话');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: letter, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 20 }),
        fc.string({ unit: letter, maxLength: 40 }),
        (words, value) => {
          const list = compileWordList(words);
          const folded = foldText(value);
          // The oracle matches whole grapheme clusters; e + U+0301 is one, so it is given in NFC.
          const oracle = new AhoCorasick(words.map(foldText));
          // For each end, the longest word ending there.
          const longest = new Map<number, number>();
          for (const { start, end } of oracle.search(folded)) longest.set(end, Math.max(longest.get(end) ?? 0, end - start));
          const expected = [...longest].sort(([a], [b]) => a - b).flatMap(([end, length]) => [end - length, end]);
          expect(list.find(folded)).toEqual(expected);
          expect(list.contains(value)).toBe(expected.length > 0);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('patterns run on RE2', () => {
  test('^(a+)+$ on a long input answers, and correctly', () => {
    const decide = compileRules({ command: send.command, field: TEXT, pattern: '^(a+)+$', refuse: { code: 10101 } });
    expect(decide(send, { MsgBody: [text(`${'a'.repeat(100_000)}!`)] })).toEqual({ action: 'allow' });
    expect(decide(send, { MsgBody: [text('a'.repeat(100_000))] })).toMatchObject({ action: 'refuse' });
  });

  test.each([
    ['\\u4e2d', '\\x{4e2d}'],
    ['[\\u4e00-\\u9fff]', '[\\x{4e00}-\\x{9fff}]'],
    ['\\uD83D\\uDE00', '\\x{1f600}'],
    ['\\u{1F600}', '\\x{1F600}'],
    ['\\p{Script=Han}', '\\p{Han}'],
    ['\\P{sc=Latin}', '\\P{Latin}'],
    ['\\p{General_Category=Lu}', '\\p{Lu}'],
    ['\\\\u0041', '\\\\u0041'],
    ['a\\sb', 'a[\\s\\x{0b}\\p{Zs}\\x{2028}\\x{2029}\\x{feff}]b'],
    ['[\\s\\d]', '[\\s\\x{0b}\\p{Zs}\\x{2028}\\x{2029}\\x{feff}\\d]'],
    ['[^]', '[\\x{0}-\\x{10ffff}]'],
    ['a\\.b', 'a\\.b'],
  ])('%s is written %s for RE2', (javascript, re2) => {
    expect(toRe2Syntax(javascript)).toBe(re2);
  });

  test('JavaScript spellings match as they would in JavaScript', () => {
    for (const [pattern, value] of [
      ['[\\u4e00-\\u9fff]', '话'],
      ['\\u{1F600}', 'x😀'],
      ['\\p{Script=Han}', '话题'],
      ['^.$', '😀'],
      ['(?<word>spam)', 'spam'],
      ['(?i:darn)', 'DaRn'],
      ['bad\\s+word', 'bad\u3000word'],
      ['^\\S+$', 'no-space'],
      ['[\\s]', '\u00a0'],
      ['a[^]b', 'a\nb'],
    ] as const) {
      expect(new RegExp(pattern, 'u').test(value)).toBe(true);
      expect(compilePattern(pattern).test(value)).toBe(true);
    }
  });

  test('and do not match where JavaScript does not', () => {
    for (const [pattern, value] of [
      ['^\\S+$', 'full\u3000width'],
      ['a[]b', 'ab'],
      ['\\s', 'x'],
    ] as const) {
      expect(new RegExp(pattern, 'u').test(value)).toBe(false);
      expect(compilePattern(pattern).test(value)).toBe(false);
    }
  });

  test('find gives the non-empty matches in UTF-16 units', () => {
    expect(compilePattern('😀|b+').find('x😀bbb😀')).toEqual([1, 3, 3, 6, 6, 8]);
    expect(compilePattern('x*').find('axxb')).toEqual([1, 3]);
  });
});
