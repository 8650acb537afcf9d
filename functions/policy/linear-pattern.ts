import { RE2JS } from 're2js';

/**
 * `pattern` matchers run on RE2 (re2js): its automata take time linear in the text, so no pattern
 * can stall an answer (`^(a+)+$` on a long input answers as fast as any other). The price is RE2's
 * syntax: no backreferences, no lookaround. Operators write JavaScript patterns, so a pattern must
 * be valid JavaScript (Unicode mode, as the first edition required) and is translated where the two
 * differ (toRe2Syntax). A pattern RE2 cannot run is refused at load, saying why.
 */

export interface LinearPattern {
  readonly test: (text: string) => boolean;
  /** `[start, end, …]` of the non-empty matches, left to right, in UTF-16 units. */
  readonly find: (text: string) => number[];
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** JavaScript's `\s`: Unicode white space and line terminators (RE2's is ASCII only). */
const whiteSpace = '\\s\\x{0b}\\p{Zs}\\x{2028}\\x{2029}\\x{feff}';

const unicodeEscape = /^u\{([0-9A-Fa-f]+)\}|^u([0-9A-Fa-f]{4})(?:\\u([0-9A-Fa-f]{4}))?/;
const propertyEscape = /^([pP])\{(?:Script|sc|Script_Extensions|scx|General_Category|gc)=([^}]*)\}/;

/** One escape (the text after its backslash) in RE2's spelling, and how much of the text it took. */
function translateEscape(rest: string, inClass: boolean): [string, number] {
  const unicode = unicodeEscape.exec(rest);
  if (unicode !== null) {
    const [whole, braced, unit, second] = unicode;
    if (braced !== undefined) return [`\\x{${braced}}`, whole.length];
    const high = Number.parseInt(unit!, 16);
    const low = second === undefined ? undefined : Number.parseInt(second, 16);
    if (low !== undefined && isHighSurrogate(high) && isLowSurrogate(low)) {
      return [`\\x{${((high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000).toString(16)}}`, whole.length];
    }
    return [`\\x{${unit}}${second === undefined ? '' : `\\x{${second}}`}`, whole.length];
  }
  const property = propertyEscape.exec(rest);
  if (property !== null) return [`\\${property[1]}{${property[2]}}`, property[0].length];
  if (rest.startsWith('s')) return [inClass ? whiteSpace : `[${whiteSpace}]`, 1];
  // Outside a class only: `[^\S]` has no RE2 spelling, so inside one `\S` keeps RE2's meaning.
  if (rest.startsWith('S') && !inClass) return [`[^${whiteSpace}]`, 1];
  const character = String.fromCodePoint(rest.codePointAt(0) ?? 0x5c);
  return [`\\${rest.length === 0 ? '' : character}`, character.length];
}

/**
 * The pattern in RE2's spelling: `\uXXXX`, `\u{X}` and surrogate pairs become `\x{X}`,
 * `\p{Script=Han}` and `\p{gc=L}` become `\p{Han}` and `\p{L}`, and `\s` means what it means in
 * JavaScript. Everything else is kept as written.
 */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let at = 0; at < pattern.length; ) {
    const character = pattern[at]!;
    if (character === '\\') {
      const [spelled, length] = translateEscape(pattern.slice(at + 1), inClass);
      out += spelled;
      at += 1 + length;
      continue;
    }
    if (character === '[' && !inClass) {
      // JavaScript's `[]` matches nothing and `[^]` anything; RE2 would read the `]` as a member.
      if (pattern.startsWith('[]', at) || pattern.startsWith('[^]', at)) {
        const negated = pattern[at + 1] === '^';
        out += negated ? '[\\x{0}-\\x{10ffff}]' : '[^\\x{0}-\\x{10ffff}]';
        at += negated ? 3 : 2;
        continue;
      }
      inClass = true;
      out += character;
      at++;
      continue;
    }
    if (character === ']' && inClass) inClass = false;
    out += character;
    at++;
  }
  return out;
}

/**
 * The pattern's RE2 program, compiled once per process: the load checks it, measures its size and
 * its cost (pattern-cost.ts), then the policy runs it. Throws when RE2 cannot run the pattern.
 */
const compiled = new Map<string, RE2JS>();
export function re2Program(pattern: string): RE2JS {
  let program = compiled.get(pattern);
  if (program === undefined) {
    program = RE2JS.compile(toRe2Syntax(pattern));
    compiled.set(pattern, program);
  }
  return program;
}

/** Why a pattern cannot be used, in words for the operator; `undefined` when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `pattern must be a valid regular expression (${(error as Error).message})`;
  }
  try {
    re2Program(pattern);
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    return `pattern ${JSON.stringify(pattern)} cannot run in linear time: RE2 has no backreferences, lookahead or lookbehind (${reason})`;
  }
}

export function compilePattern(pattern: string): LinearPattern {
  const compiled = re2Program(pattern);
  return {
    test: (text) => compiled.test(text),
    find(text) {
      const found: number[] = [];
      const matcher = compiled.matcher(text);
      while (matcher.find()) if (matcher.end() > matcher.start()) found.push(matcher.start(), matcher.end());
      return found;
    },
  };
}
