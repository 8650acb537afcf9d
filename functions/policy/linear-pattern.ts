import { RE2JS } from 're2js';

/**
 * `pattern` matchers run on RE2 (re2js): its automata take time linear in the text, so no pattern
 * can stall an answer (`^(a+)+$` on a long input answers as fast as any other). The price is RE2's
 * syntax: no backreferences, no lookaround. Operators write JavaScript patterns, so a pattern must
 * be valid JavaScript (Unicode mode, as the first edition required) and is translated where the two
 * spell the same thing differently: `\uXXXX` and `\u{X}` (RE2: `\x{X}`), `\p{Script=Han}` and
 * `\p{General_Category=L}` (RE2: `\p{Han}`, `\p{L}`). A pattern RE2 cannot run is refused at load.
 */

export interface LinearPattern {
  readonly test: (text: string) => boolean;
  /** `[start, end, …]` of the non-empty matches, left to right, in UTF-16 units. */
  readonly find: (text: string) => number[];
}

const escape = /\\(?:u\{([0-9A-Fa-f]+)\}|u([0-9A-Fa-f]{4})(?:\\u([0-9A-Fa-f]{4}))?|([pP])\{(?:Script|sc|Script_Extensions|scx|General_Category|gc)=([^}]*)\}|[\s\S])/g;

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The pattern in RE2's spelling (see above); every other escape is kept as written. */
export function toRe2Syntax(pattern: string): string {
  return pattern.replace(escape, (whole, braced?: string, unit?: string, second?: string, property?: string, name?: string) => {
    if (braced !== undefined) return `\\x{${braced}}`;
    if (unit !== undefined) {
      const high = Number.parseInt(unit, 16);
      const low = second === undefined ? undefined : Number.parseInt(second, 16);
      if (low !== undefined && isHighSurrogate(high) && isLowSurrogate(low)) {
        return `\\x{${((high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000).toString(16)}}`;
      }
      return `\\x{${unit}}${second === undefined ? '' : `\\x{${second}}`}`;
    }
    if (property !== undefined) return `\\${property}{${name}}`;
    return whole;
  });
}

/** Why a pattern cannot be used, in words for the operator; `undefined` when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `pattern must be a valid regular expression (${(error as Error).message})`;
  }
  try {
    RE2JS.compile(toRe2Syntax(pattern));
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    return `pattern ${JSON.stringify(pattern)} cannot run in linear time: RE2 has no backreferences, lookahead or lookbehind (${reason})`;
  }
}

export function compilePattern(pattern: string): LinearPattern {
  const compiled = RE2JS.compile(toRe2Syntax(pattern));
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
