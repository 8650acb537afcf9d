import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { untilProcessed } from '../shared/until-processed.ts';
import type { DerivedItems } from './derived-items.ts';
import { SubjectMarkers } from './subject-markers.ts';

/** BatchWriteItem's ceiling per request. */
const BATCH_WRITE_ITEMS = 25;
/** BatchWriteItem calls in flight at once for one batch. */
const CONCURRENCY = 4;

/** The port the indexer writes through (functions/fan-out/index-records.ts). */
export interface DerivedItemWriter {
  /** Writes a batch's derived items, markers first; rejects if any could not be written (the batch is then tried again). */
  write(derived: DerivedItems): Promise<void>;
}

/**
 * Derived items into the events table: the markers of wide subjects first (a listing that finds no
 * marker then has no wide pointer to miss), then pointers and digests with BatchWriteItem, 25 a
 * call, what DynamoDB leaves unprocessed (throttling) tried again with backoff. Every item is keyed
 * so that writing it again changes nothing a listing sees.
 */
export class DynamoDbDerivedItemWriter implements DerivedItemWriter {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #markers: SubjectMarkers;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
    this.#markers = new SubjectMarkers(client, tableName);
  }

  async write(derived: DerivedItems): Promise<void> {
    for (const marker of derived.markers) await this.#markers.ensure(marker.subjectKey, marker.expiresAt, marker.now);
    const items = [...derived.pointers, ...derived.digests];
    const calls: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_ITEMS) calls.push(items.slice(i, i + BATCH_WRITE_ITEMS));
    let next = 0;
    const worker = async () => {
      while (next < calls.length) await this.#put(calls[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, calls.length) }, worker));
  }

  async #put(items: Record<string, unknown>[]): Promise<void> {
    await untilProcessed(
      items.map((Item) => ({ PutRequest: { Item } })),
      async (requests) => {
        const { UnprocessedItems } = await this.#client.send(new BatchWriteCommand({ RequestItems: { [this.#tableName]: [...requests] } }));
        return (UnprocessedItems?.[this.#tableName] ?? []) as typeof requests;
      },
      (count) => `${count} derived items could not be written`,
    );
  }
}
