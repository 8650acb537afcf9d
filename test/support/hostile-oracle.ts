/**
 * The hostile-input oracle: which refusals a request deserves, worked out from what was sent alone
 * (docs/protocol.md and the error catalog), independent of the order in which the chain checks; and what
 * every answer must look like. Its codes come from the catalog (functions/callback/callback-error.ts),
 * never copied. Tested on its own in hostile-oracle.test.ts.
 */
import { createHash } from 'node:crypto';
import { type CallbackErrorReason, callbackErrors, reasonOfErrorCode } from '../../functions/callback/callback-error.ts';
import { commandDefinition } from '../../functions/commands/registry.ts';

const code = (reason: CallbackErrorReason) => callbackErrors[reason].errorCode;
const describeCode = (errorCode: number) => `${errorCode} ${reasonOfErrorCode.get(errorCode) ?? '(not in the catalog)'}`;

export interface OracleOptions {
  /** The one SDKAppID the receiver accepts. */
  readonly sdkAppId: string;
  /** The callback token the receiver checks Sign against. */
  readonly token: string;
  readonly windowSeconds: number;
  readonly maxBodyBytes: number;
  /** The most items a batch (`Push.*`: `{"Events":[…]}`) may hold: Tencent sends 1 to 100. */
  readonly maxBatchItems: number;
  /** What a before-callback may be answered with (HTTP 200, ActionStatus OK): allow, or the policy's codes. */
  readonly beforeCodes: ReadonlySet<number>;
}

export interface Expectation {
  /** Every refusal that applies; empty: the request must be accepted. */
  readonly refusals: ReadonlySet<number>;
  /** Refusals that may be given though not owed: the reviver's stack on deep JSON, a clock tick at the window's edge. */
  readonly tolerated: ReadonlySet<number>;
  /** The body as text, when it decodes. */
  readonly text?: string;
  /** The command the callback is handled as, when the body is a JSON object: the URL's. */
  readonly bodyCommand?: string;
  /** The parsed body, when it is an object. */
  readonly body?: Record<string, unknown>;
  readonly sdkAppId?: string;
  /**
   * The texts its after-events must be stored as, and identified by, when acknowledged: the body, or
   * each item of a batch exactly as it was written in the body.
   */
  readonly eventTexts?: readonly string[];
  /**
   * The console's URL check, as the receiver takes it (docs/protocol.md#console-probe): a POST, GET or
   * HEAD of the callback path with no body but JSON whitespace, naming no app or this one. Answered
   * 200 OK, nothing stored, unless it is too large.
   */
  readonly probe?: boolean;
}

const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** `parsed` read again with every integer beyond 2^53 as its exact digits; as it was when that cannot be done. */
function withLongIntegersAsDigits(text: string, parsed: unknown): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' && !Number.isSafeInteger(value) && /^-?\d+$/.test(context?.source ?? '') ? context!.source : value,
    );
  } catch {
    return parsed;
  }
}

/** Whether what was sent is no body at all, or only the whitespace JSON allows around a value. */
function isBodiless(sent: SentBody): boolean {
  if (sent.kind === 'http') return sent.bytes.every(isJsonWhitespace);
  if (sent.body === undefined) return true;
  return sent.isBase64Encoded ? Buffer.from(sent.body, 'base64').every(isJsonWhitespace) : /^[ \t\r\n]*$/.test(sent.body);
}

export type SentBody =
  | { readonly kind: 'http'; readonly bytes: Buffer }
  | { readonly kind: 'event'; readonly body: string | undefined; readonly isBase64Encoded: boolean };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Like API Gateway: a name repeated exactly is joined with commas, then so are names that differ only in case. */
export function lowerCasedQuery(parameters: Iterable<readonly [string, string]>): Map<string, string> {
  const join = (map: Map<string, string>, name: string, value: string) => map.set(name, map.has(name) ? `${map.get(name)},${value}` : value);
  const exact = new Map<string, string>();
  for (const [name, value] of parameters) join(exact, name, value);
  const lower = new Map<string, string>();
  for (const [name, value] of exact) join(lower, name.toLowerCase(), value);
  return lower;
}

/**
 * Whether `text` holds more than `limit` brackets that open ('[' or '{'), wherever they are: a bound
 * on its nesting depth, found by native searches, so that nestingDepth's walk, char by char, is only
 * made for the few bodies that could nest that deep.
 */
export function opensMoreThan(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['[', '{']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) if (++count > limit) return true;
  }
  return false;
}

export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}

/**
 * `__proto__` anywhere, or `constructor` holding an object with its own `prototype`; walked without
 * recursion. Arrays' items are walked without entries built for them (a corpus array can be long),
 * and only objects are kept to walk.
 */
export function hasForbiddenKey(value: unknown): boolean {
  const pending: object[] = [];
  const keep = (child: unknown) => {
    if (typeof child === 'object' && child !== null) pending.push(child);
  };
  keep(value);
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if (Array.isArray(current)) {
      for (const item of current) keep(item);
      continue;
    }
    for (const key of Object.keys(current)) {
      const child = (current as Record<string, unknown>)[key];
      if (key === '__proto__') return true;
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) return true;
      keep(child);
    }
  }
  return false;
}

/** One JSON token after any whitespace: a string, punctuation, or a number or literal. */
const jsonToken = /[ \t\n\r]*("[^"\\]*(?:\\.[^"\\]*)*"|[,:[\]{}]|[^ \t\n\r,:[\]{}"]+)/y;

/**
 * The text of each item of the top-level member `list` of `text` (valid JSON), as written; undefined
 * when that member holds no array. The oracle's own reading, by tokens, of what JSON.parse keeps (the
 * last member of that name, whatever its escapes), not the receiver's tokenizer.
 */
export function batchItemTextsOf(text: string, list: string): string[] | undefined {
  const tokens: { text: string; start: number; end: number }[] = [];
  jsonToken.lastIndex = 0;
  for (let match = jsonToken.exec(text); match !== null; match = jsonToken.exec(text)) {
    tokens.push({ text: match[1]!, start: jsonToken.lastIndex - match[1]!.length, end: jsonToken.lastIndex });
  }
  /** The token after the value that starts at token `from`. */
  const after = (from: number) => {
    let depth = 0;
    let index = from;
    do {
      const token = tokens[index++]!.text;
      if (token === '{' || token === '[') depth++;
      else if (token === '}' || token === ']') depth--;
    } while (depth > 0);
    return index;
  };
  if (tokens[0]?.text !== '{') return undefined;
  let items: string[] | undefined;
  let index = 1;
  while (tokens[index]!.text !== '}') {
    const valueAt = index + 2;
    const next = after(valueAt);
    if (JSON.parse(tokens[index]!.text) === list) {
      items = undefined;
      if (tokens[valueAt]!.text === '[') {
        items = [];
        for (let item = valueAt + 1; tokens[item]!.text !== ']'; ) {
          const end = after(item);
          items.push(text.slice(tokens[item]!.start, tokens[end - 1]!.end));
          item = tokens[end]!.text === ',' ? end + 1 : end;
        }
      }
    }
    index = tokens[next]!.text === ',' ? next + 1 : next;
  }
  return items;
}

/** Every refusal the request deserves, and those tolerated though not owed. */
export function expectOutcome(
  options: OracleOptions,
  method: string,
  path: string,
  query: ReadonlyMap<string, string>,
  sent: SentBody,
  nowSeconds: number,
): Expectation {
  const { sdkAppId: acceptedSdkAppId, token, windowSeconds: WINDOW_SECONDS, maxBodyBytes: MAX_BODY_BYTES, maxBatchItems: MAX_BATCH_ITEMS } = options;
  const refusals = new Set<number>();
  const tolerated = new Set<number>();
  if (path !== '/callback') refusals.add(code('route-not-found'));
  if (method !== 'POST') refusals.add(code('method-not-allowed'));

  const sdkAppId = query.get('sdkappid');
  if (!sdkAppId) refusals.add(code('missing-sdkappid'));
  else if (sdkAppId !== acceptedSdkAppId) refusals.add(code('unknown-sdkappid'));

  const sign = query.get('sign');
  const time = query.get('requesttime');
  if (!sign || !time) refusals.add(code('missing-sign'));
  else {
    const isTime = /^\d{1,12}$/.test(time);
    const skew = Math.abs(nowSeconds - Number(time));
    if (isTime && Math.abs(skew - WINDOW_SECONDS) <= 5) tolerated.add(code('request-time-outside-window'));
    else if (!isTime || skew > WINDOW_SECONDS) refusals.add(code('request-time-outside-window'));
    if (!/^[0-9a-f]{64}$/i.test(sign) || sha256(`${token}${time}`) !== sign.toLowerCase()) refusals.add(code('invalid-sign'));
  }

  const commandInQuery = query.get('callbackcommand');
  if (!commandInQuery) refusals.add(code('missing-command'));
  // A command that is no command name (free text, a prototype key's look-alike, 2 KB of it).
  else if (!/^[A-Za-z][\w.]{0,127}$/.test(commandInQuery)) refusals.add(code('invalid-command'));

  let text: string | undefined;
  let size: number;
  if (sent.kind === 'http' || sent.isBase64Encoded) {
    const bytes = sent.kind === 'http' ? sent.bytes : Buffer.from(sent.body ?? '', 'base64');
    size = bytes.length;
    // The estimate a size check can make without decoding base64 is tolerated either way.
    if (sent.kind === 'event' && Buffer.byteLength(sent.body ?? '', 'base64') > MAX_BODY_BYTES !== size > MAX_BODY_BYTES)
      tolerated.add(code('payload-too-large'));
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = undefined;
    }
  } else {
    text = sent.body ?? '';
    size = Buffer.byteLength(text, 'utf8');
  }
  if (size > MAX_BODY_BYTES && !tolerated.has(code('payload-too-large'))) refusals.add(code('payload-too-large'));

  const sdkAppIdOfProbe = !sdkAppId || sdkAppId === acceptedSdkAppId;
  if (path === '/callback' && ['POST', 'GET', 'HEAD'].includes(method) && sdkAppIdOfProbe && isBodiless(sent)) {
    // Nothing a callback needs is asked of a probe; only its size is still checked.
    const tooLarge = code('payload-too-large');
    return { refusals: new Set(refusals.has(tooLarge) ? [tooLarge] : []), tolerated, probe: true, sdkAppId };
  }

  let bodyCommand: string | undefined;
  let body: Record<string, unknown> | undefined;
  let eventTexts: string[] | undefined;
  if (text === undefined) refusals.add(code('invalid-utf8'));
  // Whitespace only, as String.prototype.trim() sees it (\s is the same set), without copying a large body.
  else if (!/\S/.test(text)) refusals.add(code('empty-body'));
  else {
    let parsed: unknown;
    let parses = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      parses = false;
      refusals.add(code('invalid-json'));
    }
    if (parses) {
      if (opensMoreThan(text, 1000) && nestingDepth(text) > 1000) tolerated.add(code('invalid-json'));
      const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      // An integer no double holds is read as its digits (docs/protocol.md#big-integers): a command sent as one is text then.
      const record = (isObject ? withLongIntegersAsDigits(text, parsed) : parsed) as Record<string, unknown>;
      // The body names its command itself, or in each item of a Push.* batch, or not at all: the URL's then.
      // A CallbackCommand of null names none, as every absent field may be null (null-as-absent.ts).
      const names = (value: Record<string, unknown>) => Object.hasOwn(value, 'CallbackCommand') && value.CallbackCommand !== null;
      const isItem = (item: unknown): item is Record<string, unknown> =>
        typeof item === 'object' && item !== null && !Array.isArray(item) && names(item as Record<string, unknown>);
      const named = !isObject
        ? []
        : names(record)
          ? [record.CallbackCommand]
          : Array.isArray(record.Events)
            ? [...new Set(record.Events.filter(isItem).map((item) => item.CallbackCommand))]
            : [];
      if (hasForbiddenKey(parsed)) refusals.add(code('forbidden-json-key'));
      else if (!isObject) refusals.add(code('body-not-object'));
      else if (named.some((inBody) => typeof inBody !== 'string')) refusals.add(code('invalid-command'));
      else if (commandInQuery && named.some((inBody) => inBody !== commandInQuery)) refusals.add(code('command-mismatch'));
      if (isObject && commandInQuery) bodyCommand = commandInQuery;
      if (isObject) body = record;
      // A batch is stored one event per item, each as written (docs/protocol.md#push: 1 to 100 of them).
      const batch = bodyCommand === undefined ? undefined : commandDefinition(bodyCommand).batch;
      const items = batch === undefined ? undefined : record[batch.list];
      if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS) refusals.add(code('batch-too-large'));
      if (isObject) eventTexts = Array.isArray(items) && items.length > 0 ? batchItemTextsOf(text, batch!.list) : [text];
    }
  }
  return { refusals, tolerated, text, bodyCommand, body, sdkAppId, eventTexts };
}

export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly allow: string | undefined;
  readonly body: string;
  /** HEAD: the answer has headers only. */
  readonly headersOnly: boolean;
}

/** What an ErrorInfo must not show, unless the request itself carried it. */
export const leakMarkers = ['/work/', 'node_modules', 'file://', '    at ', '.ts:', '.js:', 'Error: '];

/** What is wrong with `answer` to a request owed `expected`; `sentText` is what was sent, for the leak check. */
export function checkAnswer(options: OracleOptions, answer: Answer, expected: Expectation, sentText: () => string): { problems: string[]; accepted: boolean } {
  const problems: string[] = [];
  const { status } = answer;
  if (!((status >= 200 && status < 300) || (status >= 400 && status < 500))) problems.push(`status ${status}: only 2xx or 4xx may be answered`);
  if (!/^application\/json\b/i.test(answer.contentType ?? '')) problems.push(`content-type ${JSON.stringify(answer.contentType)} is not JSON`);
  const owed = expected.refusals;
  const allowedCodes = new Set([...owed, ...expected.tolerated]);
  if (expected.probe && status < 300) {
    if (owed.size > 0) problems.push(`answered as a probe, but owed a refusal: ${[...owed].map(describeCode).join(', ')}`);
    if (status !== 200) problems.push(`a probe answered ${status}, not 200`);
    const okAnswer = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    if (answer.body !== (answer.headersOnly ? '' : okAnswer)) problems.push(`a probe answered ${JSON.stringify(answer.body.slice(0, 200))}`);
    return { problems, accepted: false };
  }
  if (expected.probe && owed.size === 0) problems.push(`a probe refused with ${status}`);
  if (answer.headersOnly) {
    if (answer.body !== '') problems.push('a HEAD answer carries a body');
    if (status < 400 || ![...allowedCodes].some((code) => Math.floor(code / 100) === status))
      problems.push(`HEAD answered ${status}, owed one of ${[...owed].join(', ')}`);
    return { problems, accepted: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    problems.push(`the body is not JSON: ${JSON.stringify(answer.body.slice(0, 200))}`);
    return { problems, accepted: false };
  }
  const keys = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed).sort() : [];
  if (keys.join() !== 'ActionStatus,ErrorCode,ErrorInfo')
    problems.push(`the answer is not exactly {ActionStatus, ErrorCode, ErrorInfo}: ${answer.body.slice(0, 200)}`);
  const { ActionStatus, ErrorCode, ErrorInfo } = parsed as Record<string, unknown>;
  if (ActionStatus !== 'OK' && ActionStatus !== 'FAIL') problems.push(`ActionStatus ${JSON.stringify(ActionStatus)}`);
  if (!Number.isInteger(ErrorCode)) problems.push(`ErrorCode ${JSON.stringify(ErrorCode)} is not an integer`);
  if (typeof ErrorInfo !== 'string') problems.push(`ErrorInfo ${JSON.stringify(ErrorInfo)} is not a string`);
  const code = ErrorCode as number;
  const info = typeof ErrorInfo === 'string' ? ErrorInfo : '';

  if (status < 300) {
    if (ActionStatus !== 'OK') problems.push(`status ${status} with ActionStatus ${String(ActionStatus)}`);
    if (status !== 200) problems.push(`status ${status}: an accepted callback is answered 200`);
    if (owed.size > 0) problems.push(`accepted, but owed a refusal: ${[...owed].map(describeCode).join(', ')}`);
    const kind = expected.bodyCommand === undefined ? undefined : commandDefinition(expected.bodyCommand).kind;
    if (kind === 'before') {
      if (!options.beforeCodes.has(code)) problems.push(`a before-callback answered with ErrorCode ${code}`);
    } else if (code !== 0 || info !== '') problems.push(`an after-event acknowledged with ${code} ${JSON.stringify(info)}, not 0 ""`);
    return { problems, accepted: true };
  }

  if (ActionStatus !== 'FAIL') problems.push(`status ${status} with ActionStatus ${String(ActionStatus)}`);
  if (owed.size === 0 && !expected.tolerated.has(code)) problems.push(`refused with ${describeCode(code)}, but nothing was wrong with it`);
  else if (!allowedCodes.has(code)) problems.push(`refused with ${describeCode(code)}, owed one of ${[...owed].map(describeCode).join(', ')}`);
  if (Number.isInteger(code) && Math.floor(code / 100) !== status) problems.push(`status ${status} does not go with ErrorCode ${code}`);
  if (code === callbackErrors['method-not-allowed'].errorCode && answer.allow !== 'POST')
    problems.push(`405 without "Allow: POST" (${JSON.stringify(answer.allow)})`);
  if (info === '') problems.push('a refusal with an empty ErrorInfo');
  if (info.length > 2000) problems.push(`ErrorInfo of ${info.length} characters`);
  const leaked = leakMarkers.filter((marker) => info.includes(marker) && !sentText().includes(marker));
  if (leaked.length > 0) problems.push(`ErrorInfo shows internals (${leaked.join(', ')}): ${JSON.stringify(info.slice(0, 300))}`);
  return { problems, accepted: false };
}
