import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventFilter, EventReader, StoredEvent } from '../event-store.ts';
import { collectPages } from '../read/collect-pages.ts';
import { itemPages, type ListingTuning } from './legacy-listing.ts';
import { legacyEventOf } from './legacy-table.ts';

/**
 * The read side of a table of the second key design (legacy-table.ts), through its indexes: what the
 * bench lists beside the third design (bench/listing-cost.ts). The migration reads such a table by a
 * Scan instead (migrate-events.ts), and listings during it merge what the copy has not reached
 * (read/migrating-event-reader.ts).
 */
export class LegacyEventReader implements EventReader {
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
    for await (const items of itemPages(this.#client, this.#tableName, filter, this.#tuning)) yield items.map(legacyEventOf);
  }

  list(filter: EventFilter): Promise<StoredEvent[]> {
    return collectPages(this.pages(filter));
  }
}
