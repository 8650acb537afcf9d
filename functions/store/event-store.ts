import type { CommandKind } from '../commands/command-definition.ts';

/** One after-event as it is kept: what Tencent sent, verbatim, and what the receiver knew of it. */
export interface StoredEvent {
  readonly eventId: string;
  readonly command: string;
  readonly kind: CommandKind;
  readonly sdkAppId: string;
  readonly groupId?: string;
  readonly topicId?: string;
  /** Tencent's `EventTime`, in epoch milliseconds, when the body carries one. */
  readonly eventTime?: number;
  /** When the receiver got the request, in epoch milliseconds. */
  readonly receivedAt: number;
  readonly clientIp?: string;
  readonly optPlatform?: string;
  /** The request body exactly as received (JSON text). */
  readonly payload: string;
  /** False when the body failed its command's schema: it is kept all the same, with the reasons. */
  readonly valid: boolean;
  readonly problems?: string;
  /** Epoch seconds after which DynamoDB's TTL deletes the event. */
  readonly expiresAt: number;
}

export type PutOutcome = 'stored' | 'duplicate';

/** The port the callback chain writes through; functions/store/dynamodb-event-store.ts is its adapter. */
export interface EventStore {
  /** Stores the event once: a second put of the same `eventId` changes nothing and says `duplicate`. */
  put(event: StoredEvent): Promise<PutOutcome>;
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
