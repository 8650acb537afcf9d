/**
 * JSON read without losing digits. `JSON.parse` reads every number as a double, so an integer above
 * 2^53 comes back rounded (144115216631667826 → 144115216631667840). Tencent's Live, Room and Call
 * samples send account ids that large as bare numbers where their tables type a string
 * (docs/protocol.md#big-integers): read this way, such an integer is its exact digits, a string, which
 * is what the tables say it is. Every other value reads as `JSON.parse` reads it.
 */

/** What JSON.parse's reviver is given for a primitive since ES2025 (Node 21+): the value's source text. */
interface ReviverContext {
  readonly source?: string;
}

const integerText = /^-?\d+$/;

function exactInteger(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || context?.source === undefined) return value;
  return integerText.test(context.source) ? context.source : value;
}

/**
 * Whether a text may hold an integer `JSON.parse` would round: 16 digits in a row, somewhere (inside a
 * string too: the check is only there to spare the second parse almost every body).
 */
export const mayHoldLongIntegers = (text: string): boolean => /\d{16}/.test(text);

/** `JSON.parse`, but an integer beyond 2^53 is its exact digits (a string). Throws as JSON.parse does. */
export const parseExactJson = (text: string): unknown =>
  mayHoldLongIntegers(text) ? JSON.parse(text, exactInteger as (key: string, value: unknown) => unknown) : JSON.parse(text);
