import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../event-store.ts';
import { eventOf, eventsTable } from '../events-table.ts';

/**
 * Reads for local mode's change log (local/change-log.ts), whose records must be what the table
 * holds, as a stream's are: the item an event id names, and the items received since a time. Here,
 * with the store, so the key and the attribute names stay the store's.
 */

/** The event the table holds under this id (a consistent read), or undefined. */
export async function storedEventById(
  client: DynamoDBDocumentClient,
  tableName: string,
  eventId: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<StoredEvent | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { [eventsTable.partitionKey]: eventId }, ConsistentRead: true }), {
    abortSignal: options.signal,
  });
  return Item === undefined ? undefined : eventOf(Item);
}

const RECEIVED_AT = 'receivedAt' satisfies keyof StoredEvent;

/**
 * Every event received at or after `sinceMs`, page by page: a Scan with a filter, which reads the
 * whole table. For a local table only (the reconcile at start, local/local-stream.ts); in AWS the
 * stream carries every write.
 */
export async function* eventsReceivedSince(client: DynamoDBDocumentClient, tableName: string, sinceMs: number): AsyncGenerator<StoredEvent[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#received >= :since',
        ExpressionAttributeNames: { '#received': RECEIVED_AT },
        ExpressionAttributeValues: { ':since': sinceMs },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    yield (page.Items ?? []).map(eventOf);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
