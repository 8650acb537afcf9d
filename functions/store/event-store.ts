import type { StoredEvent } from './stored-event-schema.ts';

export type { StoredEvent };

export type PutOutcome = 'stored' | 'duplicate';

/**
 * Where the store keeps an event: computed from the body once, before the first attempt, and carried
 * with the event wherever it waits (the fallback's message), so that a later attempt writes exactly
 * there whatever changed meanwhile (a deploy, a setting). Opaque outside the store.
 */
export interface EventKey {
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** The keys a put wrote: the event's own, and the one its actor is listed by (the writer's choice of spread). */
export interface WrittenKey extends EventKey {
  readonly actorKey?: string;
}

export interface PutResult {
  readonly outcome: PutOutcome;
  /**
   * Where the event is. A duplicate's partition and sort keys are where the first delivery put it;
   * its actor key is this attempt's choice, which the first may not have made.
   */
  readonly key: WrittenKey;
}

export interface PutOptions {
  /** An aborted signal gives up on the write (it may still land: a later put then says `duplicate`). */
  readonly signal?: AbortSignal;
  /** The key an earlier attempt computed (`keyOf`), carried by the fallback. Default: computed now. */
  readonly key?: EventKey;
}

/** The port the callback chain writes through; functions/store/dynamodb-event-store.ts is its adapter. */
export interface EventStore {
  /** Where `put` writes the event: a function of the body (and the store's declared rules) only. */
  keyOf(event: StoredEvent): EventKey;
  /** Stores the event once: a second put of the same delivery changes nothing and says `duplicate`. */
  put(event: StoredEvent, options?: PutOptions): Promise<PutResult>;
}

/**
 * Where an event goes when the table cannot take it in time: an SQS queue in AWS
 * (sqs-event-fallback.ts), an append-only spool file locally (local/event-spool.ts). Whatever
 * `keep` resolved for reaches the table later through the same idempotent put.
 */
export interface EventFallback {
  /** Keeps the event with the key the table's attempt computed: the drain writes exactly there. */
  keep(event: StoredEvent, key?: EventKey): Promise<void>;
}

export interface EventFilter {
  readonly sdkAppIds: readonly string[];
  readonly groupId?: string;
  readonly command?: string;
  /** Only events that name this account, in any role (a sender, a receiver, a member added…). */
  readonly user?: string;
  /** Only events at or after this time (epoch ms): their body's time (`EventTime`, a message's `MsgTime`), else their first arrival. */
  readonly since?: number;
  /** Only events before this time (epoch ms). */
  readonly until?: number;
  /** How many, newest first; `Infinity` for all. */
  readonly limit: number;
}

/** A window that holds no time (`until` at or before `since`): a listing of it reads nothing. */
export const isEmptyWindow = (filter: Pick<EventFilter, 'since' | 'until'>) =>
  filter.since !== undefined && filter.until !== undefined && filter.until <= filter.since;

/** Reading side, for the events CLI: newest first, in exact time order. */
export interface EventReader {
  list(filter: EventFilter): Promise<StoredEvent[]>;
  /** The same events, page by page as they are read: memory stays flat however many there are. */
  pages(filter: EventFilter): AsyncIterable<readonly StoredEvent[]>;
}
