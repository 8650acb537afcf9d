import { DeleteTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readAgain } from '../functions/callback/after-events.ts';
import { DynamoDbEventStore, eventOf } from '../functions/store/dynamodb-event-store.ts';

/** The local table of the first key design (two unspread indexes), which a data directory may still hold. */
export const LEGACY_LOCAL_TABLE_NAME = 'tencent-im-callback-events';

/**
 * Copies the events of a data directory's first-design table into the current one, then drops it.
 * dynalite cannot add an index to a table, so the events move instead. Each is put like a new one
 * (with the current keys, once): a copy cut short is simply done again at the next start.
 */
export async function upgradeLegacyTable(base: DynamoDBClient, client: DynamoDBDocumentClient, tableName: string): Promise<number> {
  try {
    await base.send(new DescribeTableCommand({ TableName: LEGACY_LOCAL_TABLE_NAME }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 0;
    throw error;
  }
  const store = new DynamoDbEventStore(client, tableName);
  let copied = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: LEGACY_LOCAL_TABLE_NAME, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) if ((await store.put(readAgain(eventOf(item)))).outcome === 'stored') copied += 1;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  await base.send(new DeleteTableCommand({ TableName: LEGACY_LOCAL_TABLE_NAME }));
  // dynalite takes a moment to drop it: a start that found it still there would copy again (harmless, slow).
  await waitUntilTableNotExists({ client: base, maxWaitTime: 30, minDelay: 1 }, { TableName: LEGACY_LOCAL_TABLE_NAME });
  return copied;
}
