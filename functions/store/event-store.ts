import type { StoredEvent } from './stored-event-schema.ts';

export type { StoredEvent };

export type PutOutcome = 'stored' | 'duplicate';

/** The port the callback chain writes through; functions/store/dynamodb-event-store.ts is its adapter. */
export interface EventStore {
  /**
   * Stores the event once: a second put of the same `eventId` changes nothing and says `duplicate`.
   * An aborted `signal` gives up on the write (it may still land: a later put then says `duplicate`).
   */
  put(event: StoredEvent, options?: { readonly signal?: AbortSignal }): Promise<PutOutcome>;
}

/**
 * Where an event goes when the table cannot take it in time: an SQS queue in AWS
 * (sqs-event-fallback.ts), an append-only spool file locally (local/event-spool.ts). Whatever
 * `keep` resolved for reaches the table later through the same idempotent put.
 */
export interface EventFallback {
  keep(event: StoredEvent): Promise<void>;
}

export interface EventFilter {
  readonly sdkAppIds: readonly string[];
  readonly groupId?: string;
  readonly command?: string;
  /** Only events by or about this account (StoredEvent.user). */
  readonly user?: string;
  /** Only events at or after this time (epoch ms): their `EventTime`, else their arrival. */
  readonly since?: number;
  /** Only events before this time (epoch ms). */
  readonly until?: number;
  /** How many, newest first; `Infinity` for all. */
  readonly limit: number;
}

/** Reading side, for the events CLI: newest first, in exact time order. */
export interface EventReader {
  list(filter: EventFilter): Promise<StoredEvent[]>;
  /** The same events, page by page as they are read: memory stays flat however many there are. */
  pages(filter: EventFilter): AsyncIterable<readonly StoredEvent[]>;
}
