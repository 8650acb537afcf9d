import type { EventKind } from '../commands/definition.ts';

/** One after-event as it is kept: what Tencent sent, verbatim, and what the receiver knew of it. */
export interface StoredEvent {
  readonly eventId: string;
  readonly command: string;
  readonly kind: EventKind;
  readonly sdkAppId: string;
  readonly groupId?: string;
  readonly topicId?: string;
  /** The account the event is by or about (its definition's `user` subject). */
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
 * (sqs-event-fallback.ts), an append-only spool file locally (lib/local/event-spool.ts). Whatever
 * `keep` resolved for reaches the table later through the same idempotent put.
 */
export interface EventFallback {
  keep(event: StoredEvent): Promise<void>;
}

export interface EventFilter {
  readonly sdkAppIds: readonly string[];
  readonly groupId?: string;
  readonly command?: string;
  readonly limit: number;
}

/** Reading side, for the events CLI: newest first. */
export interface EventReader {
  list(filter: EventFilter): Promise<StoredEvent[]>;
}
