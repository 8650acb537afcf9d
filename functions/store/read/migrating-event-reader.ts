import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keyTimeOf, sortKeyOf } from '../event-keys.ts';
import { type EventFilter, type EventReader, isEmptyWindow, type StoredEvent } from '../event-store.ts';
import { eventOfOldItem } from '../legacy/old-event.ts';
import type { MigrationProgress } from '../migration-progress.ts';
import { collectPages } from './collect-pages.ts';
import { DynamoDbEventReader } from './dynamodb-event-reader.ts';

/**
 * An event's place in a listing of the third design: its key time (else, untimed, its first
 * arrival), then its id. The order a listing's refs carry (listing-ref.ts), computed from the event.
 */
export const listingOrder = (event: Pick<StoredEvent, 'eventTime' | 'bodyTime' | 'receivedAt' | 'eventId'>) =>
  sortKeyOf(keyTimeOf(event) ?? event.receivedAt, event.eventId);

/**
 * Whether a listing of the third design lists an event (docs/key-design.md#listings), decided from
 * the event as its definition reads it: a group it names, an account in any role, the command, the
 * time of its order. For the old events a listing reads while the copy has not reached them.
 */
export function matchesListing(event: StoredEvent, filter: Omit<EventFilter, 'limit'>): boolean {
  const time = keyTimeOf(event) ?? event.receivedAt;
  const { groupId: group, user } = filter;
  return (
    filter.sdkAppIds.includes(event.sdkAppId) &&
    (filter.command === undefined || event.command === filter.command) &&
    (group === undefined || (event.groupIds ?? []).includes(group)) &&
    (user === undefined || event.actor === user || event.placeAccount === user || (event.accounts ?? []).some((named) => named.account === user)) &&
    (filter.since === undefined || time >= filter.since) &&
    (filter.until === undefined || time < filter.until)
  );
}

const newestFirst = (events: StoredEvent[]) => events.sort((a, b) => (listingOrder(a) < listingOrder(b) ? 1 : listingOrder(a) > listingOrder(b) ? -1 : 0));

/**
 * Merges a listing's pages with the old events not copied yet (newest first, each once), newest
 * first, at most `limit`: an event in both (a page the copy put but had not saved as done) is listed once.
 */
export async function* mergeNewestFirst(
  listed: AsyncIterable<readonly StoredEvent[]>,
  pending: readonly StoredEvent[],
  limit: number,
): AsyncGenerator<StoredEvent[]> {
  let next = 0;
  let left = limit;
  const emit = (page: StoredEvent[]) => {
    const cut = page.slice(0, left);
    left -= cut.length;
    return cut;
  };
  for await (const page of listed) {
    const merged: StoredEvent[] = [];
    for (const event of page) {
      const order = listingOrder(event);
      while (next < pending.length && listingOrder(pending[next]!) > order) merged.push(pending[next++]!);
      if (next < pending.length && listingOrder(pending[next]!) === order) next += 1;
      merged.push(event);
    }
    const out = emit(merged);
    if (out.length > 0) yield out;
    if (left <= 0) return;
  }
  const rest = emit(pending.slice(next));
  if (rest.length > 0) yield rest;
}

/** The part of an old table a copy has not read: the rest of each segment not done. */
export type UncopiedPart = Pick<MigrationProgress, 'source' | 'segments'>;

/** The whole of an old table no copy has started on. */
export const wholeTable = (source: string): UncopiedPart => ({ source, segments: [{ done: false }] });

/** An old table a listing still reads (its copy not finished, or not started) is gone: its events not copied cannot be listed. */
export class OldTableGoneError extends Error {
  override name = 'OldTableGoneError';
  readonly table: string;

  constructor(table: string, options?: ErrorOptions) {
    super(`The old events table ${table} no longer exists`, options);
    this.table = table;
  }
}

/** Old events kept in memory before the newest `limit` are picked out: a limited listing holds about that many. */
const PRUNE_AT = 1_000;

/**
 * The old events a listing of the third design would show, of the parts of old tables no copy has
 * read yet, newest first, at most `limit`: the rest of each segment is Scanned (the copy's own order,
 * so exactly what it has not reached) and each item read as the receiver would store it now. Rejects
 * with OldTableGoneError when an old table was deleted before its copy was done.
 */
export async function uncopiedEvents(client: DynamoDBDocumentClient, parts: readonly UncopiedPart[], filter: EventFilter): Promise<StoredEvent[]> {
  let found: StoredEvent[] = [];
  const keepNewest = () => {
    found = newestFirst(found).slice(0, filter.limit);
  };
  for (const part of parts) {
    for (const [segment, state] of part.segments.entries()) {
      if (state.done) continue;
      let startKey = state.startKey;
      do {
        const page = await client
          .send(new ScanCommand({ TableName: part.source, Segment: segment, TotalSegments: part.segments.length, ExclusiveStartKey: startKey }))
          .catch((error: unknown) => {
            throw error instanceof ResourceNotFoundException ? new OldTableGoneError(part.source, { cause: error }) : error;
          });
        for (const item of page.Items ?? []) {
          const event = eventOfOldItem(item);
          if (matchesListing(event, filter)) found.push(event);
        }
        if (found.length > Math.max(PRUNE_AT, 2 * filter.limit)) keepNewest();
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
    }
  }
  keepNewest();
  return found;
}

/**
 * The listings of a third-design table while old tables' events are still being copied into it
 * (docs/key-design.md#moving-a-deployed-table): the table's own listing, merged with the old events
 * the copy has not reached, each once, newest first, as the table alone will list them once the copy
 * is done. What the copy has not reached is read by a Scan of its rest, each listing: a cost that
 * ends with the copy.
 */
export class MigratingEventReader implements EventReader {
  readonly #client: DynamoDBDocumentClient;
  readonly #reader: DynamoDbEventReader;
  readonly #parts: readonly UncopiedPart[];

  constructor(client: DynamoDBDocumentClient, tableName: string, parts: readonly UncopiedPart[]) {
    this.#client = client;
    this.#reader = new DynamoDbEventReader(client, tableName);
    this.#parts = parts;
  }

  async *pages(filter: EventFilter): AsyncGenerator<StoredEvent[]> {
    // An empty window lists nothing: no Scan of the old tables for it.
    if (filter.limit <= 0 || isEmptyWindow(filter)) return;
    const pending = await uncopiedEvents(this.#client, this.#parts, filter);
    yield* mergeNewestFirst(this.#reader.pages(filter), pending, filter.limit);
  }

  list(filter: EventFilter): Promise<StoredEvent[]> {
    return collectPages(this.pages(filter));
  }
}
