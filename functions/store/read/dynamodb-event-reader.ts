import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventFilter, EventReader, StoredEvent } from '../event-store.ts';
import { eventOf } from '../events-table.ts';
import { itemPages, type ListingTuning } from './dynamodb-listing.ts';

/**
 * The events table's read side, for the events CLI, the inspector and the state rebuild: kept apart
 * from the writer (dynamodb-event-store.ts) so the Lambda bundles carry no listing code.
 */
export class DynamoDbEventReader implements EventReader {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #tuning: ListingTuning;

  constructor(client: DynamoDBDocumentClient, tableName: string, tuning: ListingTuning = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#tuning = tuning;
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
    for await (const page of this.pages(filter)) for (const event of page) events.push(event);
    return events;
  }
}
