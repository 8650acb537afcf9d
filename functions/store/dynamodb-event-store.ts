import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { itemPages, type ListingTuning } from './dynamodb-listing.ts';
import { indexAttributes } from './event-keys.ts';
import type { EventFilter, EventReader, EventStore, PutOutcome, StoredEvent } from './event-store.ts';
import { eventOf, eventsTable } from './events-table.ts';

type Item = Record<string, unknown>;

/** One client per process: it keeps its connections alive between invocations. */
export function documentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The item a put writes: the event and its index keys (event-keys.ts). */
export const itemOf = (event: StoredEvent): Item => ({ ...event, ...indexAttributes(event) });

export { eventOf } from './events-table.ts';

export class DynamoDbEventStore implements EventStore, EventReader {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #tuning: ListingTuning;

  constructor(client: DynamoDBDocumentClient, tableName: string, tuning: ListingTuning = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#tuning = tuning;
  }

  async put(event: StoredEvent, options: { readonly signal?: AbortSignal } = {}): Promise<PutOutcome> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: itemOf(event),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': eventsTable.partitionKey },
        }),
        { abortSignal: options.signal },
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  /**
   * Newest first, in exact time order, through the indexes only (never a Scan): a group's or a
   * user's spread keys, a command's range in every app partition, or every command's across the app.
   */
  async *pages(filter: EventFilter): AsyncGenerator<StoredEvent[]> {
    for await (const items of itemPages(this.#client, this.#tableName, filter, this.#tuning)) yield items.map(eventOf);
  }

  async list(filter: EventFilter): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const page of this.pages(filter)) events.push(...page);
    return events;
  }
}
