import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ActorHeat, RECEIVER_HEAT_THRESHOLD } from './actor-heat.ts';
import { itemOf } from './event-item.ts';
import { actorKey, eventKeyOf, isWideShard, type KeyRules } from './event-keys.ts';
import type { EventKey, EventStore, PutOptions, PutResult, StoredEvent, WrittenKey } from './event-store.ts';
import { attributes as at, SINGLE_SORT } from './events-table.ts';
import { SubjectMarkers } from './subject-markers.ts';

/** One client per process: it keeps its connections alive between invocations. */
export function documentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export { eventOf, itemOf } from './event-item.ts';

export interface DynamoDbEventStoreOptions {
  /** What spreads an account wide besides its definition (the `busyAccounts` setting). Default: chatbots only. */
  readonly rules?: KeyRules;
  /**
   * Which actors this writer spreads wide. Default: a receiver instance's (actor-heat.ts); a writer
   * that sees all of the traffic (the drain, the copy) passes a higher threshold.
   */
  readonly actorHeat?: ActorHeat;
  /** Marks what it writes as the migration's copies (`m`), which the new stream's consumers skip. Default: false. */
  readonly copies?: boolean;
}

/**
 * The events table's write side (docs/key-design.md#the-put): one conditional put per event, at a
 * key computed from the body alone, so a repeated delivery, a retry, a drained fallback message and
 * the migration's copy of one delivery all meet at one key and the first one stays. Listings are
 * read/dynamodb-event-reader.ts'.
 */
export class DynamoDbEventStore implements EventStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #rules: KeyRules;
  readonly #heat: ActorHeat;
  readonly #markers: SubjectMarkers;
  readonly #copies: boolean;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoDbEventStoreOptions = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#rules = options.rules ?? {};
    this.#heat = options.actorHeat ?? new ActorHeat({ threshold: RECEIVER_HEAT_THRESHOLD });
    this.#markers = new SubjectMarkers(client, tableName);
    this.#copies = options.copies ?? false;
  }

  keyOf(event: StoredEvent): EventKey {
    return eventKeyOf(event, this.#rules);
  }

  async put(event: StoredEvent, options: PutOptions = {}): Promise<PutResult> {
    const { partitionKey, sortKey } = options.key ?? this.keyOf(event);
    const timed = sortKey !== SINGLE_SORT;
    // The actor's spread is this writer's own choice: it sets the index key only, never the table's.
    const wideActor = timed && event.actor !== undefined && this.#heat.observe(event.actor, event.receivedAt);
    const key: WrittenKey = {
      partitionKey,
      sortKey,
      ...(timed && event.actor !== undefined ? { actorKey: actorKey(event.sdkAppId, event.actor, event.eventId, wideActor) } : {}),
    };
    // A marker goes before the first wide item: a listing that finds none has no wide item to miss.
    for (const subjectKey of [...(timed ? [partitionKey] : []), ...(key.actorKey === undefined ? [] : [key.actorKey])]) {
      if (isWideShard(subjectKey)) await this.#markers.ensure(subjectKey, event.expiresAt, event.receivedAt, options.signal);
    }
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: itemOf(event, key, { copied: this.#copies }),
          ConditionExpression: 'attribute_not_exists(#p)',
          ExpressionAttributeNames: { '#p': at.partition },
        }),
        { abortSignal: options.signal },
      );
      return { outcome: 'stored', key };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { outcome: 'duplicate', key };
      throw error;
    }
  }
}
