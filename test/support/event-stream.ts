/**
 * What the fault-injection and concurrency tests share: distinct after-events, a bounded stream of
 * deliveries over real HTTP, a full scan of the events table, and the audit that says whether every
 * acknowledged event is in the table exactly once.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventIdOf } from '../../functions/store/event-id.ts';
import { eventOf } from '../../functions/store/event-item.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { scanEventItems } from '../../functions/store/read/scan-events.ts';
import { callbackUrl as callbackUrlOf } from '../../local/callback-url.ts';
import { LOCAL_TABLE_NAME } from '../../local/embedded-store.ts';

export const AFTER_COMMAND = 'Group.CallbackAfterCreateGroup';
export const BEFORE_COMMAND = 'Group.CallbackBeforeCreateTopic';

export interface StreamEvent {
  readonly seq: number;
  readonly body: string;
  readonly eventId: string;
}

/** A unique tag per run, so a table shared by several tests tells their events apart. */
export const runTag = (name: string) => `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** After-event number `seq` of the run `tag`: a body of its own, so an id of its own. */
export function afterEvent(sdkAppId: string, tag: string, seq: number): StreamEvent {
  const body = JSON.stringify({
    CallbackCommand: AFTER_COMMAND,
    GroupId: `@TGS#${tag}#${seq}`,
    Operator_Account: 'group_root',
    Owner_Account: 'leckie',
    Type: 'Public',
    Name: `${tag} ${seq}`,
    MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }],
    EventTime: 1_670_574_414_123 + seq,
  });
  return { seq, body, eventId: eventIdOf(sdkAppId, AFTER_COMMAND, body) };
}

export const isOfRun = (tag: string) => (event: StoredEvent) => event.groupId?.startsWith(`@TGS#${tag}#`) === true;

// The seeded generator lives with the seed it replays from (seed.ts); re-exported for the callers here.
export { seededRandom } from './seed.ts';

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export type Answer =
  | { readonly status: number; readonly answer: Record<string, unknown> | undefined; readonly ms: number }
  /** The connection failed or broke before an answer: nothing was promised. */
  | { readonly status: 'no-answer'; readonly error: string; readonly ms: number };

/**
 * One delivery as Tencent posts it (query parameters, JSON body, no Content-Type), bounded in time:
 * `timeoutMs` is a bound for a hang (an answer waits at most the write budget), not a deadline.
 */
export async function deliver(callbackUrl: string, sdkAppId: string, command: string, body: string, timeoutMs = 60_000): Promise<Answer> {
  const url = callbackUrlOf(callbackUrl, { sdkAppId, command });
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', body: Buffer.from(body), signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let answer: Record<string, unknown> | undefined;
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {
      answer = undefined;
    }
    return { status: response.status, answer, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return { status: 'no-answer', error: `${(error as Error).message}${cause ? `: ${cause.message}` : ''}`, ms: performance.now() - started };
  }
}

/** Acknowledged as Tencent understands it: HTTP 200 with ErrorCode 0. */
export const isAcknowledged = (answer: Answer) => answer.status === 200 && answer.answer?.ErrorCode === 0;

/**
 * Runs `work` over `count` indexes, `concurrency` at a time, in index order. `beforeEach` may hold an
 * index back (a gate); `stop` ends the stream: indexes not yet started are skipped.
 */
export async function runStream(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
  options: { beforeEach?: (index: number) => Promise<void>; stop?: () => boolean } = {},
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      if (options.stop?.()) return;
      const index = next;
      if (index >= count) return;
      next += 1;
      await options.beforeEach?.(index);
      if (options.stop?.()) return;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Every event of the events table, page by page (its other items, pointers and digests, left out). */
export async function scanTable(client: DynamoDBDocumentClient): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const items of scanEventItems(client, LOCAL_TABLE_NAME, { consistentRead: true })) events.push(...items.map(eventOf));
  return events;
}

/** The stored event of an id, if there is one: a scan (the table is keyed by place and time, not by id). */
export const storedEventById = async (client: DynamoDBDocumentClient, eventId: string): Promise<StoredEvent | undefined> =>
  (await scanTable(client)).find((event) => event.eventId === eventId);

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls until `condition` holds (an error counts as not yet), at most `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<number> {
  const started = Date.now();
  let lastError: unknown;
  for (let attempt = 0; Date.now() - started <= timeoutMs && attempt < 10_000; attempt += 1) {
    try {
      if (await condition()) return Date.now() - started;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not so after ${timeoutMs} ms${lastError === undefined ? '' : ` (last error: ${String(lastError)})`}`);
}

export interface Audit {
  /** Acknowledged, not in the table: lost. */
  readonly missing: string[];
  /** In the table more than once, by id or by body. */
  readonly doubled: string[];
  /** In the table though never acknowledged nor possibly under way: a phantom. */
  readonly unexpected: string[];
  /** In the table with another body than the one sent under its id. */
  readonly altered: string[];
  /** Distinct events in the table. */
  readonly stored: number;
  /** Of `maybe` (in flight when the server died, or answered 503), how many made it anyway. */
  readonly maybeStored: number;
}

/**
 * Compares the table with what was sent: `acknowledged` must each be there exactly once; `maybe`
 * (no answer, or a 503) may be there, at most once; nothing else may be.
 */
export function audit(
  items: readonly StoredEvent[],
  sent: ReadonlyMap<string, string>,
  acknowledged: ReadonlySet<string>,
  maybe: ReadonlySet<string>,
  sdkAppId: string,
): Audit {
  const byId = countBy(items, (item) => item.eventId);
  const byBody = countBy(items, (item) => item.payload);
  return {
    missing: [...acknowledged].filter((id) => !byId.has(id)),
    doubled: [
      ...[...byId].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`),
      ...[...byBody].filter(([, n]) => n > 1).map(([body, n]) => `${body.slice(0, 80)} ×${n}`),
    ],
    unexpected: [...byId.keys()].filter((id) => !acknowledged.has(id) && !maybe.has(id)),
    altered: items
      .filter((item) => sent.get(item.eventId) !== item.payload || eventIdOf(sdkAppId, item.command, item.payload) !== item.eventId)
      .map((item) => item.eventId),
    stored: byId.size,
    maybeStored: [...maybe].filter((id) => byId.has(id) && !acknowledged.has(id)).length,
  };
}

/** One compact block of counts in the test output. */
export function printCounts(title: string, counts: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(counts).map((name) => name.length));
  console.log(
    `${title}\n${Object.entries(counts)
      .map(([name, value]) => `  ${name.padEnd(width)}  ${String(value)}`)
      .join('\n')}`,
  );
}
