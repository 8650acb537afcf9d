/**
 * The exact text of each item of a batch list (`Push.*`: `{"Events":[…]}`), sliced from the body as
 * received, so an item is stored and identified by its own bytes, not by a re-serialisation that
 * would turn `7.0` into `7`, `1e2` into `100` or 2^53+1 into 2^53 (and so merge items that differ).
 *
 * It reads text JSON.parse has already accepted (parse-json-body.ts runs first): it does not
 * validate, it only finds where values begin and end, and picks the member JSON.parse keeps, the
 * last of duplicate keys, whatever escapes spell its key (`"\u0045vents"`). One pass over the top
 * level, one more over the list; no recursion, no copy but the items' slices and an escaped key.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** JSON's whitespace, exactly: space, tab, line feed, carriage return (RFC 8259 §2). */
const isWhitespace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** A "can't happen" on text JSON.parse accepted: a bug, never the sender's fault. */
const notJson = (at: number) => new Error(`batchItemTexts: the text is not the JSON it was said to be (at ${at})`);

function skipWhitespace(text: string, at: number): number {
  let index = at;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
  return index;
}

/**
 * Just past the string whose opening quote is at `at`. The first quote after it ends the string unless
 * a backslash stands right before it (an escape is `\x` or `\uXXXX`: only a backslash can hide a quote);
 * otherwise the string is walked, each backslash taking the next character with it.
 */
function stringEnd(text: string, at: number): number {
  const quote = text.indexOf('"', at + 1);
  if (quote > 0 && text.charCodeAt(quote - 1) !== BACKSLASH) return quote + 1;
  for (let index = at + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index++;
    else if (code === QUOTE) return index + 1;
  }
  throw notJson(at);
}

/** Just past the value that starts at `at` (no whitespace before it). */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    // Valid JSON: brackets outside strings balance, so counting them is enough.
    let depth = 0;
    let index = at;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        index = stringEnd(text, index);
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
      else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return index + 1;
      index++;
    }
    throw notJson(at);
  }
  // A number, true, false or null: up to the delimiter after it.
  let index = at + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isWhitespace(code)) break;
    index++;
  }
  return index;
}

/** Whether the string from `start` (its opening quote) to `end` (just past its closing one) decodes to `name`. */
function keyIs(text: string, start: number, end: number, name: string): boolean {
  const length = end - start - 2;
  // An escape is 2 to 6 characters for one UTF-16 unit: outside these lengths no spelling can match.
  if (length < name.length || length > 6 * name.length) return false;
  if (length === name.length && text.startsWith(name, start + 1)) return true;
  for (let index = start + 1; index < end - 1; index++) {
    if (text.charCodeAt(index) === BACKSLASH) return JSON.parse(text.slice(start, end)) === name;
  }
  return false;
}

/**
 * The text of each element of the array the top-level object's member `list` holds, in order, as
 * JSON.parse would read that member; `undefined` when the body is not an object or `list` holds no
 * array. `text` must be valid JSON (parsed already).
 */
export function batchItemTexts(text: string, list: string): string[] | undefined {
  let index = skipWhitespace(text, 0);
  if (text.charCodeAt(index) !== OPEN_BRACE) return undefined;
  index = skipWhitespace(text, index + 1);
  let listAt = -1;
  if (text.charCodeAt(index) !== CLOSE_BRACE) {
    for (;;) {
      const keyEnd = stringEnd(text, index);
      const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
      // The last of duplicate keys wins, as in JSON.parse.
      if (keyIs(text, index, keyEnd, list)) listAt = valueStart;
      index = skipWhitespace(text, valueEnd(text, valueStart));
      if (text.charCodeAt(index) !== COMMA) break;
      index = skipWhitespace(text, index + 1);
    }
  }
  if (listAt < 0 || text.charCodeAt(listAt) !== OPEN_BRACKET) return undefined;

  const items: string[] = [];
  index = skipWhitespace(text, listAt + 1);
  if (text.charCodeAt(index) === CLOSE_BRACKET) return items;
  for (;;) {
    const end = valueEnd(text, index);
    items.push(text.slice(index, end));
    index = skipWhitespace(text, end);
    if (text.charCodeAt(index) !== COMMA) return items;
    index = skipWhitespace(text, index + 1);
  }
}
