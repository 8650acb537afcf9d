/**
 * The hostile-input suite: a few thousand generated requests (fast-check), sent as raw bytes through
 * the local HTTP server, and API Gateway events whose base64 flag lies, sent straight to the handler.
 *
 * Every answer must be Tencent's JSON with a 2xx or 4xx status; every refusal must be one that the
 * request deserves (an oracle written from protocol.md and the error catalog, independent of the
 * chain's order); the process stays up with flat memory; and the table ends up holding exactly the
 * events that were acknowledged: none lost, none phantom. The counts are printed at the end.
 *
 * Replay a failure with HOSTILE_SEED=<seed printed at the start>; scale with HOSTILE_RUNS.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { createHash, randomUUID } from 'node:crypto';
import { Agent, METHODS, request as httpRequest } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createCallbackHandler } from '../../functions/callback/chain.ts';
import { commandDefinition } from '../../functions/commands/registry.ts';
import { DynamoDbEventStore } from '../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { payloadText } from '../../functions/store/stored-payload.ts';
import { LOCAL_TABLE_NAME } from '../../lib/local/embedded-store.ts';
import { lambdaContext } from '../../lib/local/http-adapter.ts';
import { startLocalReceiver, type LocalReceiver } from '../../lib/local/local-server.ts';
import { apiGatewayEvent } from '../support/api-gateway-event.ts';
import {
  bareRequests,
  describeEvent,
  describeHttpRequest,
  eventBody,
  HOSTILE_TOKEN,
  hostileEvent,
  hostileHttpRequest,
  requestTarget,
  resolveQuery,
  showBytes,
  type HostileEvent,
  type HostileHttpRequest,
} from '../support/hostile-requests.ts';
import { SDK_APP_ID, testSettings } from '../support/receiver.ts';

const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_123);
/** Scales the number of runs (1 = the CI size). */
const SCALE = Number(process.env.HOSTILE_RUNS ?? 1);
const HTTP_RUNS = Math.round(550 * SCALE);
const EVENT_RUNS = Math.round(150 * SCALE);
/** Requests per run, sent in parallel. */
const BATCH = 20;
const WARMUP_RUNS = 15;
/**
 * Below DynamoDB's 400 KB item limit, for the body alone: the default 1 MiB is not (see the test of that limit
 * at the end). A long GroupId is stored three times over (payload, groupId, groupKey) and can still pass it.
 */
const MAX_BODY_BYTES = 256 * 1024;
const WINDOW_SECONDS = 60;
const REQUEST_TIMEOUT_MS = 20_000;
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024;

const policy = {
  rules: [
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Operator_Account', in: ['spammer'], refuse: { code: 10101, info: 'operator not allowed' } },
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', maxLength: 20, refuse: { code: 1, info: 'name too long' } },
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', pattern: '^\\p{Lu}\\p{Lu}', refuse: { code: 10102, info: 'shouting' } },
  ],
};
/** What a before-callback may be answered with (HTTP 200, ActionStatus OK): allow, or the policy's codes. */
const BEFORE_CODES = new Set([0, 1, 10101, 10102]);

/** The error catalog's codes by reason, for the printed counts (functions/callback/callback-error.ts). */
const REASONS: Record<number, string> = {
  40400: 'route-not-found', 40500: 'method-not-allowed', 40101: 'missing-sign', 40102: 'request-time-outside-window',
  40103: 'invalid-sign', 40301: 'missing-sdkappid', 40302: 'unknown-sdkappid', 41300: 'payload-too-large', 40001: 'empty-body',
  40002: 'invalid-utf8', 40003: 'invalid-json', 40004: 'forbidden-json-key', 40005: 'body-not-object', 40006: 'missing-command',
  40007: 'command-mismatch', 50300: 'store-unavailable', 50301: 'token-unavailable', 50000: 'internal-error',
};

// ---------------------------------------------------------------------------------------------------
// The oracle: which refusals a request deserves, worked out from what was sent

interface Expectation {
  /** Every refusal that applies; empty: the request must be accepted. */
  readonly refusals: ReadonlySet<number>;
  /** Refusals that may be given though not owed: the reviver's stack on deep JSON, a clock tick at the window's edge. */
  readonly tolerated: ReadonlySet<number>;
  /** The body as text, when it decodes. */
  readonly text?: string;
  /** The body's CallbackCommand, when the body is a JSON object that has one. */
  readonly bodyCommand?: string;
  /** The parsed body, when it is an object. */
  readonly body?: Record<string, unknown>;
  readonly sdkAppId?: string;
}

type SentBody =
  | { readonly kind: 'http'; readonly bytes: Buffer }
  | { readonly kind: 'event'; readonly body: string | undefined; readonly isBase64Encoded: boolean };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Like API Gateway: a name repeated exactly is joined with commas, then so are names that differ only in case. */
function lowerCasedQuery(parameters: Iterable<readonly [string, string]>): Map<string, string> {
  const join = (map: Map<string, string>, name: string, value: string) => map.set(name, map.has(name) ? `${map.get(name)},${value}` : value);
  const exact = new Map<string, string>();
  for (const [name, value] of parameters) join(exact, name, value);
  const lower = new Map<string, string>();
  for (const [name, value] of exact) join(lower, name.toLowerCase(), value);
  return lower;
}

function nestingDepth(text: string): number {
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

/** `__proto__` anywhere, or `constructor` holding an object with its own `prototype`; walked without recursion. */
function hasForbiddenKey(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, child] of Object.entries(current)) {
      if (key === '__proto__') return true;
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) return true;
      pending.push(child);
    }
  }
  return false;
}

function expectOutcome(method: string, path: string, query: ReadonlyMap<string, string>, sent: SentBody, nowSeconds: number): Expectation {
  const refusals = new Set<number>();
  const tolerated = new Set<number>();
  if (path !== '/callback') refusals.add(40400);
  if (method !== 'POST') refusals.add(40500);

  const sdkAppId = query.get('sdkappid');
  if (!sdkAppId) refusals.add(40301);
  else if (sdkAppId !== SDK_APP_ID) refusals.add(40302);

  const sign = query.get('sign');
  const time = query.get('requesttime');
  if (!sign || !time) refusals.add(40101);
  else {
    const isTime = /^\d{1,12}$/.test(time);
    const skew = Math.abs(nowSeconds - Number(time));
    if (isTime && Math.abs(skew - WINDOW_SECONDS) <= 5) tolerated.add(40102);
    else if (!isTime || skew > WINDOW_SECONDS) refusals.add(40102);
    if (!/^[0-9a-f]{64}$/i.test(sign) || sha256(`${HOSTILE_TOKEN}${time}`) !== sign.toLowerCase()) refusals.add(40103);
  }

  const commandInQuery = query.get('callbackcommand');
  if (!commandInQuery) refusals.add(40006);
  else if (!/^[A-Za-z][\w.]{0,127}$/.test(commandInQuery)) refusals.add(40008);

  let text: string | undefined;
  let size: number;
  if (sent.kind === 'http' || sent.isBase64Encoded) {
    const bytes = sent.kind === 'http' ? sent.bytes : Buffer.from(sent.body ?? '', 'base64');
    size = bytes.length;
    // The estimate a size check can make without decoding base64 is tolerated either way.
    if (sent.kind === 'event' && (Buffer.byteLength(sent.body ?? '', 'base64') > MAX_BODY_BYTES) !== size > MAX_BODY_BYTES) tolerated.add(41300);
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = undefined;
    }
  } else {
    text = sent.body ?? '';
    size = Buffer.byteLength(text, 'utf8');
  }
  if (size > MAX_BODY_BYTES && !tolerated.has(41300)) refusals.add(41300);

  let bodyCommand: string | undefined;
  let body: Record<string, unknown> | undefined;
  if (text === undefined) refusals.add(40002);
  else if (text.trim() === '') refusals.add(40001);
  else {
    let parsed: unknown;
    let parses = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      parses = false;
      refusals.add(40003);
    }
    if (parses) {
      if (nestingDepth(text) > 1000) tolerated.add(40003);
      const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      const record = parsed as Record<string, unknown>;
      // The body names its command itself, or in each item of a Push.* batch, or not at all (the URL's then).
      const named = !isObject ? [] : Object.hasOwn(record, 'CallbackCommand') ? [record.CallbackCommand]
        : Array.isArray(record.Events) ? [...new Set(record.Events.filter((item: any) => typeof item === 'object' && item !== null && !Array.isArray(item) && Object.hasOwn(item, 'CallbackCommand')).map((item: any) => item.CallbackCommand))] : [];
      if (hasForbiddenKey(parsed)) refusals.add(40004);
      else if (!isObject) refusals.add(40005);
      else if (named.some((inBody) => typeof inBody !== 'string')) refusals.add(40008);
      else if (commandInQuery && named.some((inBody) => inBody !== commandInQuery)) refusals.add(40007);
      if (isObject && commandInQuery) bodyCommand = commandInQuery;
      body = isObject ? record : undefined;
    }
  }
  return { refusals, tolerated, text, bodyCommand, body, sdkAppId };
}

// ---------------------------------------------------------------------------------------------------
// What every answer must look like, and the ledger of what was acknowledged

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly allow: string | undefined;
  readonly body: string;
  /** HEAD: the answer has headers only. */
  readonly headersOnly: boolean;
}

const ledger = {
  sent: 0,
  http: 0,
  events: 0,
  statuses: new Map<number, number>(),
  refusedByCode: new Map<number, number>(),
  /** Refusals owed nothing but tolerated: valid JSON nested past the parser's reviver stack, a window-edge tick. */
  toleratedByCode: new Map<number, number>(),
  storedNew: 0,
  duplicates: 0,
  beforeAnswered: 0,
  beforeRefusedByPolicy: 0,
  unanswered: 0,
  violations: 0,
  /** eventId → sha256 of the body text, for every after-event acknowledged with 200 OK. */
  acknowledged: new Map<string, string>(),
  acknowledgedBytes: 0,
  byLabel: new Map<string, { sent: number; accepted: number; ms: number }>(),
  /** The chain's own records (observe-callback.ts), by outcome, when the chain writes them. */
  records: new Map<string, number>(),
  failedRecords: [] as string[],
  heapAfterWarmup: undefined as number | undefined,
  heapAtEnd: undefined as number | undefined,
  startedAt: Date.now(),
};

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

const leakMarkers = ['/work/', 'node_modules', 'file://', '    at ', '.ts:', '.js:', 'Error: '];

function checkAnswer(answer: Answer, expected: Expectation, sentText: () => string): { problems: string[]; accepted: boolean } {
  const problems: string[] = [];
  const { status } = answer;
  if (!((status >= 200 && status < 300) || (status >= 400 && status < 500))) problems.push(`status ${status}: only 2xx or 4xx may be answered`);
  if (!/^application\/json\b/i.test(answer.contentType ?? '')) problems.push(`content-type ${JSON.stringify(answer.contentType)} is not JSON`);
  const owed = expected.refusals;
  const allowedCodes = new Set([...owed, ...expected.tolerated]);
  if (answer.headersOnly) {
    if (answer.body !== '') problems.push('a HEAD answer carries a body');
    if (status < 400 || ![...allowedCodes].some((code) => Math.floor(code / 100) === status)) problems.push(`HEAD answered ${status}, owed one of ${[...owed].join(', ')}`);
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
  if (keys.join() !== 'ActionStatus,ErrorCode,ErrorInfo') problems.push(`the answer is not exactly {ActionStatus, ErrorCode, ErrorInfo}: ${answer.body.slice(0, 200)}`);
  const { ActionStatus, ErrorCode, ErrorInfo } = parsed as Record<string, unknown>;
  if (ActionStatus !== 'OK' && ActionStatus !== 'FAIL') problems.push(`ActionStatus ${JSON.stringify(ActionStatus)}`);
  if (!Number.isInteger(ErrorCode)) problems.push(`ErrorCode ${JSON.stringify(ErrorCode)} is not an integer`);
  if (typeof ErrorInfo !== 'string') problems.push(`ErrorInfo ${JSON.stringify(ErrorInfo)} is not a string`);
  const code = ErrorCode as number;
  const info = typeof ErrorInfo === 'string' ? ErrorInfo : '';

  if (status < 300) {
    if (ActionStatus !== 'OK') problems.push(`status ${status} with ActionStatus ${String(ActionStatus)}`);
    if (status !== 200) problems.push(`status ${status}: an accepted callback is answered 200`);
    if (owed.size > 0) problems.push(`accepted, but owed a refusal: ${[...owed].map((c) => `${c} ${REASONS[c]}`).join(', ')}`);
    const kind = expected.bodyCommand === undefined ? undefined : commandDefinition(expected.bodyCommand).kind;
    if (kind === 'before') {
      if (!BEFORE_CODES.has(code)) problems.push(`a before-callback answered with ErrorCode ${code}`);
    } else if (code !== 0 || info !== '') problems.push(`an after-event acknowledged with ${code} ${JSON.stringify(info)}, not 0 ""`);
    return { problems, accepted: true };
  }

  if (ActionStatus !== 'FAIL') problems.push(`status ${status} with ActionStatus ${String(ActionStatus)}`);
  if (owed.size === 0 && !expected.tolerated.has(code)) problems.push(`refused with ${code} ${REASONS[code] ?? ''}, but nothing was wrong with it`);
  else if (!allowedCodes.has(code)) problems.push(`refused with ${code} ${REASONS[code] ?? '(not in the catalog)'}, owed one of ${[...owed].map((c) => `${c} ${REASONS[c]}`).join(', ')}`);
  if (Number.isInteger(code) && Math.floor(code / 100) !== status) problems.push(`status ${status} does not go with ErrorCode ${code}`);
  if (code === 40500 && answer.allow !== 'POST') problems.push(`405 without "Allow: POST" (${JSON.stringify(answer.allow)})`);
  if (info === '') problems.push('a refusal with an empty ErrorInfo');
  if (info.length > 2000) problems.push(`ErrorInfo of ${info.length} characters`);
  const leaked = leakMarkers.filter((marker) => info.includes(marker) && !sentText().includes(marker));
  if (leaked.length > 0) problems.push(`ErrorInfo shows internals (${leaked.join(', ')}): ${JSON.stringify(info.slice(0, 300))}`);
  return { problems, accepted: false };
}

/** Books one answered request: counts, and the event id of an acknowledged after-event. */
function book(label: string, answer: Answer, expected: Expectation, accepted: boolean, ms: number): string[] {
  const problems: string[] = [];
  bump(ledger.statuses, answer.status);
  const byLabel = ledger.byLabel.get(label) ?? { sent: 0, accepted: 0, ms: 0 };
  byLabel.sent++;
  byLabel.ms += ms;
  ledger.byLabel.set(label, byLabel);
  if (!accepted) {
    if (!answer.headersOnly) {
      try {
        const code = (JSON.parse(answer.body) as { ErrorCode: number }).ErrorCode;
        bump(ledger.refusedByCode, code);
        if (!expected.refusals.has(code) && expected.tolerated.has(code)) bump(ledger.toleratedByCode, code);
      } catch {
        bump(ledger.refusedByCode, -answer.status);
      }
    } else bump(ledger.refusedByCode, -answer.status);
    return problems;
  }
  byLabel.accepted++;
  // What the receiver acknowledged, identified from what was sent (whatever the oracle thought of it).
  if (expected.text === undefined || expected.bodyCommand === undefined || expected.sdkAppId === undefined) {
    problems.push('acknowledged a request whose body has no readable CallbackCommand');
    return problems;
  }
  if (commandDefinition(expected.bodyCommand).kind === 'before') {
    ledger.beforeAnswered++;
    if ((JSON.parse(answer.body) as { ErrorCode: number }).ErrorCode !== 0) ledger.beforeRefusedByPolicy++;
    return problems;
  }
  // A batch definition stores each item of its list as an event of its own (after-events.ts).
  const definition = commandDefinition(expected.bodyCommand);
  const items = definition.batch === undefined ? undefined : expected.body?.[definition.batch.list];
  const events = Array.isArray(items) && items.length > 0
    ? items.map((item: unknown) => ({ eventId: eventIdOf(expected.sdkAppId!, expected.bodyCommand!, JSON.stringify(item)), text: JSON.stringify(item) }))
    : [{ eventId: eventIdOf(expected.sdkAppId, expected.bodyCommand, expected.text), text: expected.text }];
  for (const { eventId, text } of events) {
    if (ledger.acknowledged.has(eventId)) ledger.duplicates++;
    else {
      ledger.storedNew++;
      ledger.acknowledged.set(eventId, sha256(text));
      ledger.acknowledgedBytes += text.length;
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Sending

let receiver: LocalReceiver;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: BATCH });

interface Reply extends Answer {
  readonly error?: undefined;
}

function send(method: string, target: string, headers: Record<string, string | number>, bytes: Buffer | undefined, chunks = 1, via: Agent | false = agent): Promise<Reply | { error: string }> {
  return new Promise((resolve) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path: target, headers, agent: via }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('error', (error) => resolve({ error: `the answer broke off: ${error.message}` }));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          allow: response.headers.allow,
          body: Buffer.concat(parts).toString('utf8'),
          headersOnly: method.toUpperCase() === 'HEAD',
        }));
    });
    // A CONNECT's answer arrives as 'connect', with the body on the raw socket.
    request.on('connect', (response, socket, head) => {
      const parts: Buffer[] = [head];
      socket.on('data', (part: Buffer) => parts.push(part));
      socket.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], allow: response.headers.allow, body: Buffer.concat(parts).toString('utf8'), headersOnly: false }));
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', (error) => resolve({ error: `no answer: ${error.message}` }));
    if (bytes !== undefined && chunks > 1) {
      const step = Math.ceil(bytes.length / chunks) || 1;
      for (let offset = 0; offset < bytes.length; offset += step) request.write(bytes.subarray(offset, offset + step));
      request.end();
    } else request.end(bytes);
  });
}

async function sendHostile(request: HostileHttpRequest): Promise<string[]> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const target = requestTarget(request, nowSeconds);
  const bytes = request.body.bytes;
  const chunks = request.method.toUpperCase() === 'POST' ? request.chunks : 1;
  const headers: Record<string, string | number> = { ...request.headers };
  if (bytes !== undefined && chunks === 1) headers['content-length'] = bytes.length;
  ledger.sent++;
  ledger.http++;
  const started = performance.now();
  const reply = await send(request.method, target, headers, bytes, chunks);
  const ms = performance.now() - started;
  const shown = () => describeHttpRequest(request, target);
  if (reply.error !== undefined) {
    ledger.unanswered++;
    ledger.violations++;
    return [`${shown()}\n  → ${reply.error}`];
  }
  // The server's view of the URL: WHATWG parsing, as the local server (and any HTTP server) does.
  const url = new URL(`http://local${target.startsWith('/') ? target : '/'}`);
  const expected = expectOutcome(request.method.toUpperCase(), url.pathname, lowerCasedQuery(url.searchParams), { kind: 'http', bytes: bytes ?? Buffer.alloc(0) }, nowSeconds);
  const { problems, accepted } = checkAnswer(reply, expected, () => `${target}\n${bytes?.toString('latin1') ?? ''}`);
  problems.push(...book(request.body.label, reply, expected, accepted, ms));
  if (problems.length === 0) return [];
  ledger.violations++;
  return [`${shown()}\n  → ${reply.status} ${reply.body.slice(0, 300)}\n  ✗ ${problems.join('\n  ✗ ')}`];
}

let handler: ReturnType<typeof createCallbackHandler>;

async function invokeHostile(hostile: HostileEvent): Promise<string[]> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const parameters = hostile.query === undefined ? undefined : lowerCasedQueryAsApiGateway(resolveQuery(hostile.query, hostile.auth, nowSeconds, hostile.body.command));
  const { body, isBase64Encoded } = eventBody(hostile);
  const event = apiGatewayEvent({ method: hostile.method ?? 'POST', path: '/callback', query: parameters ?? {} }) as unknown as Record<string, unknown> & {
    requestContext: Record<string, unknown>;
  };
  event.rawPath = hostile.rawPath;
  event.queryStringParameters = parameters;
  event.body = body;
  event.isBase64Encoded = isBase64Encoded;
  event.requestContext.requestId = randomUUID();
  if (hostile.method === undefined) delete event.requestContext.http;
  ledger.sent++;
  ledger.events++;
  const shown = () => describeEvent(hostile, parameters, body, isBase64Encoded);
  let result: { statusCode?: number; headers?: Record<string, unknown>; body?: unknown };
  const started = performance.now();
  try {
    result = (await handler(event as never, lambdaContext(String(event.requestContext.requestId)))) as typeof result;
  } catch (error) {
    ledger.unanswered++;
    ledger.violations++;
    return [`${shown()}\n  → the handler threw: ${String(error)}`];
  }
  const ms = performance.now() - started;
  const answer: Answer = {
    status: result?.statusCode ?? 0,
    contentType: result?.headers?.['content-type'] as string | undefined,
    allow: result?.headers?.allow as string | undefined,
    body: typeof result?.body === 'string' ? result.body : '',
    headersOnly: false,
  };
  const path = hostile.rawPath ?? (hostile.method === undefined ? '' : '/callback');
  const expected = expectOutcome(hostile.method ?? '', path, lowerCasedQuery(Object.entries(parameters ?? {})), { kind: 'event', body, isBase64Encoded }, nowSeconds);
  const { problems, accepted } = checkAnswer(answer, expected, () => `${JSON.stringify(parameters)}\n${body ?? ''}`);
  if (typeof result?.body !== 'string') problems.push(`the result's body is ${typeof result?.body}, not a string`);
  problems.push(...book(`event:${hostile.encoding}`, answer, expected, accepted, ms));
  if (problems.length === 0) return [];
  ledger.violations++;
  return [`${shown()}\n  → ${answer.status} ${answer.body.slice(0, 300)}\n  ✗ ${problems.join('\n  ✗ ')}`];
}

/** API Gateway's queryStringParameters: a name given twice (same case) holds both values, comma-joined. */
function lowerCasedQueryAsApiGateway(parameters: [string, string][]): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of parameters) joined.set(name, joined.has(name) ? `${joined.get(name)},${value}` : value);
  return Object.fromEntries(joined);
}

// ---------------------------------------------------------------------------------------------------
// Memory, store and report

let collectGarbage: (() => void) | undefined;
try {
  v8.setFlagsFromString('--expose-gc');
  collectGarbage = vm.runInNewContext('gc') as () => void;
} catch {
  collectGarbage = undefined;
}
const heapUsed = () => {
  collectGarbage?.();
  collectGarbage?.();
  return process.memoryUsage().heapUsed;
};

type Item = Pick<StoredEvent, 'eventId' | 'sdkAppId' | 'command' | 'payload' | 'payloadEncoding'>;

async function storedItems(): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await receiver.store.client.send(new ScanCommand({
      TableName: LOCAL_TABLE_NAME,
      ProjectionExpression: 'eventId, sdkAppId, #command, payload, payloadEncoding',
      ExpressionAttributeNames: { '#command': 'command' },
      ExclusiveStartKey: startKey,
    }));
    items.push(...((page.Items ?? []) as typeof items));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const storeSummary = { stored: undefined as number | undefined, lost: undefined as number | undefined, phantom: undefined as number | undefined };

function report() {
  const refused = [...ledger.refusedByCode].sort(([a], [b]) => a - b)
    .map(([code, count]) => `    ${code < 0 ? `HTTP ${-code} without a Tencent body (HEAD, or node:http's own answer)` : `${code} ${REASONS[code] ?? '?'}`}: ${count}`).join('\n');
  const totalRefused = [...ledger.refusedByCode.values()].reduce((sum, count) => sum + count, 0);
  const labels = [...ledger.byLabel].sort(([a], [b]) => a.localeCompare(b)).map(([label, { sent, accepted }]) => `${label} ${accepted}/${sent}`).join(', ');
  const slowest = [...ledger.byLabel].sort(([, a], [, b]) => b.ms - a.ms).slice(0, 4)
    .map(([label, { sent, ms }]) => `${label} ${(ms / 1000).toFixed(1)} s (${(ms / sent).toFixed(0)} ms each)`).join(', ');
  const growth = ledger.heapAtEnd !== undefined && ledger.heapAfterWarmup !== undefined ? ledger.heapAtEnd - ledger.heapAfterWarmup : undefined;
  process.stdout.write(
    `\nhostile-input (seed ${SEED}${collectGarbage ? '' : ', no gc: heap figures are rough'}):\n` +
    `  sent ${ledger.sent} (${ledger.http} over HTTP, ${ledger.events} API Gateway events to the handler)\n` +
    `  statuses: ${[...ledger.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}\n` +
    `  accepted ${ledger.storedNew + ledger.duplicates + ledger.beforeAnswered}: stored ${ledger.storedNew}, duplicate ${ledger.duplicates}, ` +
    `before-callbacks answered ${ledger.beforeAnswered} (${ledger.beforeRefusedByPolicy} refused by the policy)\n` +
    `  refused ${totalRefused}:\n${refused}\n` +
    `  of which tolerated though not owed: ${[...ledger.toleratedByCode].map(([code, count]) => `${code} ${REASONS[code]} ${count}`).join(', ') || 'none'}\n` +
    `  unanswered ${ledger.unanswered}, requests breaking an invariant ${ledger.violations}\n` +
    `  chain records: ${[...ledger.records].map(([outcome, count]) => `${outcome} ${count}`).join(', ') || 'none'}\n` +
    `  in the table: ${storeSummary.stored ?? 'n/a'} (acknowledged ${ledger.acknowledged.size}, lost ${storeSummary.lost ?? 'n/a'}, phantom ${storeSummary.phantom ?? 'n/a'})\n` +
    `  accepted/sent by generator: ${labels}\n` +
    `  most time spent waiting on (summed over parallel requests): ${slowest}\n` +
    `  heap: ${mb(ledger.heapAfterWarmup)} after warm-up, ${mb(ledger.heapAtEnd)} at the end (growth ${mb(growth)}, acknowledged bodies ${mb(ledger.acknowledgedBytes)})\n` +
    `  elapsed ${((Date.now() - ledger.startedAt) / 1000).toFixed(1)} s\n`,
  );
}

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  process.stdout.write(`hostile-input: seed ${SEED}, ${HTTP_RUNS} HTTP runs and ${EVENT_RUNS} event runs of up to ${BATCH} (replay: HOSTILE_SEED=${SEED})\n`);
  const log = (record: { outcome?: string; reason?: string; error?: { message?: string } }) => {
    bump(ledger.records, record.outcome ?? '?');
    if (record.outcome === 'failed' && ledger.failedRecords.length < 20) ledger.failedRecords.push(`${record.reason}: ${record.error?.message}`);
  };
  const settings = testSettings({ maxBodyBytes: MAX_BODY_BYTES, policy });
  // Passed as variables, not literals: `log` is newer than some of the code this runs against.
  const receiverOptions = { settings, port: 0, dynamodbPort: 0, tokens: [HOSTILE_TOKEN], log };
  receiver = await startLocalReceiver(receiverOptions);
  port = Number(new URL(receiver.callbackUrl).port);
  const handlerOptions = { settings, store: new DynamoDbEventStore(receiver.store.client, LOCAL_TABLE_NAME), tokens: () => [HOSTILE_TOKEN], log };
  handler = createCallbackHandler(handlerOptions);
  ledger.startedAt = Date.now();
}, 30_000);

afterAll(async () => {
  report();
  agent.destroy();
  await receiver?.close();
});

const assertRuns = <T>(arbitrary: fc.Arbitrary<T[]>, each: (item: T) => Promise<string[]>, numRuns: number, timeLimitMs: number, onRun?: (run: number) => void, examples: [T[]][] = []) => {
  let run = 0;
  return fc.assert(
    fc.asyncProperty(arbitrary, async (batch) => {
      onRun?.(++run);
      const problems = (await Promise.all(batch.map(each))).flat();
      if (problems.length > 0) throw new Error(`${problems.length} of ${batch.length} requests broke an invariant:\n${problems.join('\n\n')}`);
    }),
    { numRuns, seed: SEED, examples, plugins: [fc.interruptAfterTimeLimit(timeLimitMs, { failOnInterrupt: true })] },
  );
};

describe('hostile input', () => {
  test('over HTTP: every request is answered in Tencent format, 2xx or 4xx, and refused only for cause', async () => {
    await assertRuns(
      fc.array(hostileHttpRequest(MAX_BODY_BYTES), { minLength: 1, maxLength: BATCH }),
      sendHostile,
      HTTP_RUNS,
      80_000,
      (run) => {
        if (run === WARMUP_RUNS) ledger.heapAfterWarmup = heapUsed();
      },
      [[bareRequests]],
    );
  }, 120_000);

  test('to the handler: base64 flags that lie, odd events, same answers', async () => {
    await assertRuns(fc.array(hostileEvent(MAX_BODY_BYTES), { minLength: 1, maxLength: BATCH }), invokeHostile, EVENT_RUNS, 40_000);
  }, 60_000);

  test('the process is still up and answers a plain callback', async () => {
    const command = 'Group.CallbackAfterGroupFull';
    const body = JSON.stringify({ CallbackCommand: command, GroupId: `@TGS#alive-${randomUUID()}`, EventTime: Date.now() });
    const time = String(Math.floor(Date.now() / 1000));
    const target = `/callback?SdkAppid=${SDK_APP_ID}&CallbackCommand=${command}&contenttype=json&Sign=${sha256(`${HOSTILE_TOKEN}${time}`)}&RequestTime=${time}`;
    const reply = await send('POST', target, { 'content-length': Buffer.byteLength(body) }, Buffer.from(body), 1, false);
    expect(reply).toMatchObject({ status: 200, body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}' });
    const eventId = eventIdOf(SDK_APP_ID, command, body);
    ledger.acknowledged.set(eventId, sha256(body));
    ledger.storedNew++;
    const { Item } = await receiver.store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { eventId } }));
    expect(payloadText(Item as StoredEvent)).toBe(body);
  });

  test('memory stays flat: the heap grows no more than the events the store now holds', () => {
    ledger.heapAtEnd = heapUsed();
    expect(ledger.heapAfterWarmup).toBeDefined();
    const growth = ledger.heapAtEnd - ledger.heapAfterWarmup!;
    // The embedded store lives in this process: what it holds is allowed for, a few times over.
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT + 4 * ledger.acknowledgedBytes);
  });

  test('the table holds exactly the acknowledged events: none lost, none phantom, each as received', async () => {
    const items = await storedItems();
    const stored = new Set(items.map((item) => item.eventId));
    const lost = [...ledger.acknowledged.keys()].filter((eventId) => !stored.has(eventId));
    const phantom = items.filter((item) => !ledger.acknowledged.has(item.eventId));
    const altered = items.filter((item) => ledger.acknowledged.has(item.eventId) && ledger.acknowledged.get(item.eventId) !== sha256(payloadText(item)));
    const misfiled = items.filter((item) => eventIdOf(item.sdkAppId, item.command, payloadText(item)) !== item.eventId);
    Object.assign(storeSummary, { stored: stored.size, lost: lost.length, phantom: phantom.length });
    const show = (list: Item[]) =>
      list.slice(0, 5).map((item) => `${item.eventId} ${item.command.slice(0, 80)} ${showBytes(Buffer.from(payloadText(item)), 200)}`);
    expect({ lost: lost.slice(0, 5), phantom: show(phantom), altered: show(altered), misfiled: show(misfiled) }).toEqual({ lost: [], phantom: [], altered: [], misfiled: [] });
    expect(ledger.unanswered).toBe(0);
    expect(ledger.failedRecords).toEqual([]);
  }, 60_000);
});

describe('hostile input aimed at the limits around the chain: the store\'s item size, node:http\'s parser', () => {
  test('an after-event within maxBodyBytes (1 MiB by default) whose item would pass DynamoDB\'s 400 KB is answered 4xx, not 5xx', async () => {
    // The default settings. The item holds the body, and GroupId twice more (groupId, groupKey).
    const defaults = await startLocalReceiver({ settings: testSettings(), port: 0, dynamodbPort: 0, ...{ log: () => undefined } });
    const defaultsPort = Number(new URL(defaults.callbackUrl).port);
    const command = 'Group.CallbackAfterCreateGroup';
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('Name', 'GroupId'), fc.integer({ min: 1024, max: 1024 * 1024 - 300 }), async (field, length) => {
          const long = 'x'.repeat(length);
          const body = `{"CallbackCommand":"${command}","GroupId":"${field === 'GroupId' ? long : '@TGS#big'}","Name":"${field === 'Name' ? long : 'n'}"}`;
          const target = `/callback?SdkAppid=${SDK_APP_ID}&CallbackCommand=${command}`;
          const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const request = httpRequest({ host: '127.0.0.1', port: defaultsPort, method: 'POST', path: target, agent: false, headers: { 'content-length': Buffer.byteLength(body) } }, (response) => {
              const parts: Buffer[] = [];
              response.on('data', (part: Buffer) => parts.push(part));
              response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
            });
            request.on('error', reject);
            request.end(body);
          });
          const outcome = reply.status >= 500 ? `${reply.status} ${reply.body}` : reply.status === 200 ? 'stored' : 'refused';
          if (outcome === 'stored') {
            const { Item } = await defaults.store.client.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: { eventId: eventIdOf(SDK_APP_ID, command, body) } }));
            expect(payloadText(Item as StoredEvent)).toBe(body);
          }
          expect({ bodyBytes: Buffer.byteLength(body), outcome }).toEqual({ bodyBytes: Buffer.byteLength(body), outcome: expect.stringMatching(/^(stored|refused)$/) });
        }),
        { numRuns: 8, seed: SEED, examples: [['GroupId', 140_000], ['Name', 1024 * 1024 - 300]] },
      );
    } finally {
      await defaults.close();
    }
  }, 60_000);

  /** node:http answers these itself, before the receiver sees them: a bare status line, no Tencent body. */
  const rawReply = async (method: string, target: string, bytes: Buffer | undefined = Buffer.from('{}')) => {
    const reply = await send(method, target, bytes === undefined ? {} : { 'content-length': bytes.length }, bytes, 1, false);
    return reply.error !== undefined ? reply.error : `${reply.status} | ${reply.contentType} | ${reply.body}`;
  };
  const target = `/callback?SdkAppid=${SDK_APP_ID}&CallbackCommand=Group.CallbackAfterGroupFull`;
  /** Status, content type and body of a Tencent refusal. */
  const tencentRefusal = /^4\d\d \| application\/json[^|]* \| \{"ActionStatus":"FAIL","ErrorCode":4\d{4},"ErrorInfo":".+"\}$/;

  test.each([
    ['a request target without its leading slash', `callback?SdkAppid=${SDK_APP_ID}`],
    ['a raw byte 0xff in the query', `${target}&x=\xff`],
    ['a raw DEL (0x7f) in the query', `${target}&x=\x7f`],
  ])('%s is answered in Tencent format', async (_case, unparsable) => {
    expect(await rawReply('POST', unparsable)).toMatch(tencentRefusal);
  });

  test('a method node:http does not know is answered in Tencent format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z]{3,8}$/).filter((method) => !METHODS.includes(method)), async (method) => {
        expect(await rawReply(method, target)).toMatch(tencentRefusal);
      }),
      { numRuns: 10, seed: SEED },
    );
  });

  test('a request line over node:http\'s 16 KB header limit is answered in Tencent format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40_000 }), async (length) => {
        expect(await rawReply('POST', `${target}&x=${'a'.repeat(length)}`)).toMatch(tencentRefusal);
      }),
      { numRuns: 10, seed: SEED, examples: [[20_000]] },
    );
  });

  test('CONNECT is answered in Tencent format, not by a dropped connection', async () => {
    expect(await rawReply('CONNECT', `127.0.0.1:${port}`, undefined)).toMatch(tencentRefusal);
  });
});
