import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventOf, isEventItem, keyOfItem } from '../event-item.ts';
import type { EventKey, StoredEvent, WrittenKey } from '../event-store.ts';
import { attributes as at } from '../events-table.ts';
import { scanEventItems } from './scan-events.ts';

/**
 * Reads for local mode's change log (local/change-log.ts), whose records must be what the table
 * holds, as a stream's are: the event at a key, and the events received since a time, each with the
 * keys its item has (the stream's consumers read those too: the indexer, the actor key). Here, with
 * the store, so the keys and the attribute names stay the store's.
 */

/** An event as the table holds it, with the keys of its item. */
export interface KeyedEvent {
  readonly event: StoredEvent;
  readonly key: WrittenKey;
}

/** The event the table holds at this key (a consistent read), or undefined. */
export async function storedEventAt(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: EventKey,
  options: { readonly signal?: AbortSignal } = {},
): Promise<KeyedEvent | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: { [at.partition]: key.partitionKey, [at.sort]: key.sortKey }, ConsistentRead: true }),
    { abortSignal: options.signal },
  );
  return Item === undefined || !isEventItem(Item) ? undefined : { event: eventOf(Item), key: keyOfItem(Item) };
}

/**
 * Every event received at or after `sinceMs`, page by page: a Scan with a filter, which reads the
 * whole table. For a local table only (the reconcile at start, local/local-stream.ts); in AWS the
 * stream carries every write. The migration's copies are left out, as the stream's consumers leave them.
 */
export async function* eventsReceivedSince(client: DynamoDBDocumentClient, tableName: string, sinceMs: number): AsyncGenerator<KeyedEvent[]> {
  for await (const items of scanEventItems(client, tableName, { receivedSince: sinceMs, withoutCopies: true, consistentRead: true })) {
    yield items.map((item) => ({ event: eventOf(item), key: keyOfItem(item) }));
  }
}
