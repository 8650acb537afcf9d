import type { RE2JS } from 're2js';
import { patternProblem, re2Program } from './linear-pattern.ts';

/**
 * What a `pattern` may cost. RE2 runs in time linear in the text, but the constant grows with the
 * program: a 1,000-word alternation took 1.0–1.5 s per 10 KB message in the attack campaign (issue
 * 17), where `containsAny` with 100,000 words stays under 10 ms. So a pattern is checked when the
 * policy loads, twice:
 *
 * - **Program size**, deterministic, the primary bound: RE2's own "very approximate measure of a
 *   regexp's cost" (re2js `programSize()`, the instructions of the compiled program). Envoy refuses
 *   RE2 patterns over 100 by default (`re2.max_program_size.error_level`,
 *   https://envoyproxy.io/docs/envoy/v1.23.2/xds/type/matcher/v3/regex.proto), for header-sized
 *   inputs; 1,000 is ten times that, above every pattern a rule needs (a URL or phone pattern is
 *   10–40, a 100-word alternation about 800), where a 12 KB message already costs tens of
 *   milliseconds to search (measured here: a 100-word list 30–60 ms to find every match, 1,000
 *   words over half a second).
 * - **A timed trial** on texts the size of Tencent's largest message, which refuses only what is
 *   clearly too slow: more than `trialMargin` times the decision's deadline, measured again before
 *   refusing, since a busy machine makes anything look slower. What it measures (ms per KB) is kept
 *   for the decision, which predicts from it whether a pattern can finish on a long text in time.
 *
 * A refusal names the cost and, when the pattern is a plain list of words, the cheaper form.
 */

/** The most instructions a pattern's RE2 program may have. */
export const maxProgramSize = 1_000;

/**
 * The trial's text length, in UTF-16 units: 12 KB, the largest message Tencent accepts ("A one-to-one
 * or group message must be no longer than 12KB", Use Limits,
 * https://www.tencentcloud.com/document/product/1047/34381; docs/protocol.md#limits: no body size is
 * documented for callbacks). A longer text costs proportionally more, which the decision predicts from this.
 */
export const trialTextUnits = 12 * 1024;

/** A pattern is refused when its trial takes more than this many times the decision's deadline. */
export const trialMargin = 2;

/** A KB of text, for costs per KB: 1,024 UTF-16 units, as JavaScript measures a string. */
export const unitsPerKb = 1024;

/** Characters outside the pattern's own, so the trial also covers a text it has nothing to do with. */
const ordinaryText = 'Hello, world! 12345 67890 talk about lunch 话题讨论 😀 ｆｕｌｌ width https://example.com/a?b=c user@example.com\n';

const metacharacters = new Set('\\|()[]{}*+?.^$');

/**
 * The words of a pattern that is a plain alternation of literals (`darn|heck|blast`, also wrapped
 * in `(?:…)`, `(?i:…)` or `\b…\b`, anchored or not); `undefined` for any other pattern.
 */
export function literalAlternation(pattern: string): string[] | undefined {
  let body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  body = body.replace(/^\\b/, '').replace(/\\b$/, '');
  const group = /^\((?:\?(?:i)?:)?(.*)\)$/s.exec(body);
  if (group !== null) body = group[1]!;
  const words: string[] = [];
  let word = '';
  for (let at = 0; at < body.length; at++) {
    const character = body[at]!;
    if (character === '\\') {
      const escaped = body[at + 1];
      // `\.` or `\-` is the character itself; `\d`, `\b`, `\u…` are not literals.
      if (escaped === undefined || /[\p{L}\p{N}]/u.test(escaped)) return undefined;
      word += escaped;
      at++;
    } else if (character === '|') {
      if (word === '') return undefined;
      words.push(word);
      word = '';
    } else if (metacharacters.has(character)) {
      return undefined;
    } else {
      word += character;
    }
  }
  if (word === '') return undefined;
  words.push(word);
  return words.length >= 2 ? words : undefined;
}

/** `containsAny` in place of a word list: the hint a refusal gives, with the first few words. */
function cheaperForm(pattern: string): string {
  const words = literalAlternation(pattern);
  if (words === undefined) return 'split it into simpler rules, or use containsAny for lists of words';
  const shown = words
    .slice(0, 3)
    .map((word) => JSON.stringify(word))
    .join(', ');
  return `it is a list of ${words.length} words: use containsAny with these ${words.length} words instead ([${shown}${words.length > 3 ? ', …' : ''}]), one pass over the text whatever their number`;
}

/** The instructions of the pattern's RE2 program (the pattern must compile: linear-pattern.ts). */
export const programSize = (pattern: string): number => re2Program(pattern).programSize();

/**
 * Why a pattern's program is too large, naming its size and the cheaper form; `undefined` if it is
 * not, or if RE2 cannot compile it at all (linear-pattern.ts says why).
 */
export function programSizeProblem(pattern: string): string | undefined {
  if (patternProblem(pattern) !== undefined) return undefined;
  const size = programSize(pattern);
  if (size <= maxProgramSize) return undefined;
  return `pattern is too costly: its RE2 program has ${size} instructions, more than the ${maxProgramSize} a pattern may have; ${cheaperForm(pattern)}`;
}

/** The pieces, space-separated, repeated to the trial's length (ordinary text when there are none). */
function toTrialLength(pieces: readonly string[]): string {
  const text = pieces.length === 0 ? ordinaryText : `${pieces.join(' ')} `;
  return text.repeat(Math.ceil(trialTextUnits / text.length)).slice(0, trialTextUnits);
}

/**
 * Texts made to cost the pattern the most: its own literal pieces whole (every one a match, which
 * `find` pays for) and cut short by one character (near misses, which keep many threads alive), and
 * ordinary text.
 */
export function trialTexts(pattern: string): string[] {
  const pieces =
    literalAlternation(pattern) ??
    pattern
      .replace(/\(\?(?:[a-z]*:|<[^>]*>)/g, '(')
      .replace(/\\(.)/gsu, (_, escaped: string) => (/[\p{L}\p{N}]/u.test(escaped) ? ' ' : escaped))
      .split(/[|()[\]{}*+?.^$]+/)
      .filter((piece) => piece.trim() !== '');
  const cut = pieces.map((piece) => ([...piece].length > 1 ? [...piece].slice(0, -1).join('') : piece));
  return [toTrialLength(pieces), toTrialLength(cut), toTrialLength([ordinaryText])];
}

/** What a pattern's run costs on the trial's texts, ms: `test` (refuse, drop, refuseMembers) and `find` (mask). */
export interface TrialTimes {
  readonly testMs: number;
  readonly findMs: number;
}

/** One run on each text, as a decision runs it: `test`, then every match; the slowest text of each. */
function timeOnce(compiled: RE2JS, texts: readonly string[]): TrialTimes {
  let testMs = 0;
  let findMs = 0;
  for (const text of texts) {
    let start = performance.now();
    compiled.test(text);
    testMs = Math.max(testMs, performance.now() - start);
    start = performance.now();
    const matcher = compiled.matcher(text);
    while (matcher.find());
    findMs = Math.max(findMs, performance.now() - start);
  }
  return { testMs, findMs };
}

/** Each pattern's trial, once per process; `confirmed` once a slow result was measured twice. */
const trials = new Map<string, { readonly times: TrialTimes; readonly confirmed: boolean }>();

/** What a rule's pattern is used for: a mask finds every match, the other actions only test. */
export type PatternUse = 'test' | 'find';

/** The trial's cost of a use: a mask tests, then finds. */
export const costOf = (times: TrialTimes, use: PatternUse) => (use === 'find' ? times.testMs + times.findMs : times.testMs);

export interface TrialOptions {
  readonly use?: PatternUse;
  /** When the use costs more, the trial runs again and keeps the faster run: a busy moment is no pattern's fault. */
  readonly confirmAboveMs?: number;
}

/** The pattern's trial on texts the size of Tencent's largest message. */
export function patternTrial(pattern: string, { use = 'find', confirmAboveMs = Number.POSITIVE_INFINITY }: TrialOptions = {}): TrialTimes {
  let trial = trials.get(pattern);
  if (trial !== undefined && (trial.confirmed || costOf(trial.times, use) <= confirmAboveMs)) return trial.times;
  const compiled = re2Program(pattern);
  const texts = trialTexts(pattern);
  if (trial === undefined) {
    // Compiled code first: the first run of a matcher pays for V8 compiling re2js.
    timeOnce(
      compiled,
      texts.map((text) => text.slice(0, 256)),
    );
    trial = { times: timeOnce(compiled, texts), confirmed: false };
  }
  if (costOf(trial.times, use) > confirmAboveMs) {
    const again = timeOnce(compiled, texts);
    trial = { times: { testMs: Math.min(trial.times.testMs, again.testMs), findMs: Math.min(trial.times.findMs, again.findMs) }, confirmed: true };
  }
  trials.set(pattern, trial);
  return trial.times;
}

/** What a pattern costs per KB of text, from its trial: what a decision predicts a long text's cost by. */
export function measuredCostPerKb(pattern: string): TrialTimes {
  const { testMs, findMs } = patternTrial(pattern);
  const kb = trialTextUnits / unitsPerKb;
  return { testMs: testMs / kb, findMs: findMs / kb };
}

/**
 * Why a pattern is too slow for the deadline, with its measured time; `undefined` if it is not, or
 * if it is refused already (it cannot compile, or its program is too large: no trial for those,
 * which could take seconds). `trial` is the measurement (tests give their own: no test may depend
 * on the machine's speed).
 */
export function trialProblem(
  pattern: string,
  use: PatternUse,
  deadlineMs: number,
  trial: (pattern: string, options: TrialOptions) => TrialTimes = patternTrial,
): string | undefined {
  if (patternProblem(pattern) !== undefined || programSize(pattern) > maxProgramSize) return undefined;
  const limit = trialMargin * deadlineMs;
  const ms = costOf(trial(pattern, { use, confirmAboveMs: limit }), use);
  if (ms <= limit) return undefined;
  const doing = use === 'find' ? 'to find its matches' : 'to test';
  return `pattern is too slow: it took ${Math.round(ms)} ms ${doing} on a ${trialTextUnits / unitsPerKb} KB message, more than ${trialMargin}× the ${deadlineMs} ms decision deadline (policyDeadlineMs); ${cheaperForm(pattern)}`;
}
