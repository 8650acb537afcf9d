import type { EventKind } from '../commands/definition.ts';

/** One after-event as it is kept: what Tencent sent, verbatim, and what the receiver knew of it. */
export interface StoredEvent {
  readonly eventId: string;
  readonly command: string;
  readonly kind: EventKind;
  readonly sdkAppId: string;
  readonly groupId?: string;
  readonly topicId?: string;
  /** The account the event is by or about (a message's sender, a login's account), from its command's subjects. */
  readonly user?: string;
  /** Tencent's `EventTime`, in epoch milliseconds, when the body carries one. */
  readonly eventTime?: number;
  /** When the receiver got the request, in epoch milliseconds. */
  readonly receivedAt: number;
  readonly clientIp?: string;
  readonly optPlatform?: string;
  /** The request body exactly as received (JSON text), or compressed when large: see `payloadEncoding`. */
  readonly payload: string;
  /** Set when a large body was gzip-compressed and base64-encoded to fit one item (stored-payload.ts). */
  readonly payloadEncoding?: 'gzip+base64';
  /** False when the body failed its command's schema: it is kept all the same, with the reasons. */
  readonly valid: boolean;
  readonly problems?: string;
  /** Epoch seconds after which DynamoDB's TTL deletes the event. */
  readonly expiresAt: number;
}

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
