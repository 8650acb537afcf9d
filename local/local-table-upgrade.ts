import { DeleteTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readAgain } from '../functions/callback/after-events.ts';
import { indexRecords } from '../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore, eventOf } from '../functions/store/dynamodb-event-store.ts';
import { streamRecordOf } from '../functions/store/event-image.ts';
import type { KeyRules } from '../functions/store/event-keys.ts';

/**
 * The local tables of the earlier key designs, which a data directory may still hold, newest first:
 * the second (spread indexes), the first (two unspread indexes).
 */
export const EARLIER_LOCAL_TABLE_NAMES = ['tencent-im-callback-events-2', 'tencent-im-callback-events'] as const;

/** Events indexed together: a stream batch's size in AWS. */
const INDEX_BATCH = 100;

async function exists(base: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await base.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/**
 * Copies the events of a data directory's earlier-design tables into the current one, then drops
 * them: a key schema cannot change, so the events move. Each is read again by its definition as it
 * is now (after-events.ts `readAgain`: its accounts by role, place, actor, time) and put like a new
 * one (the current keys, once), then indexed by the fan-out consumer's indexer stage, so the app-wide,
 * per-command and per-account listings find it. The copies are not appended to the change log: the
 * view and the forward target had them when they were first stored. A copy cut short is simply done
 * again at the next start (its puts say duplicate; indexing again adds nothing a listing shows twice).
 * Returns how many events were stored anew.
 */
export async function upgradeLegacyTable(base: DynamoDBClient, client: DynamoDBDocumentClient, tableName: string, rules: KeyRules = {}): Promise<number> {
  let copied = 0;
  for (const earlier of EARLIER_LOCAL_TABLE_NAMES) {
    if (!(await exists(base, earlier))) continue;
    // Keyed by the deployment's rules (its busy accounts), as the receiver keys a new event.
    const store = new DynamoDbEventStore(client, tableName, { rules });
    const index = indexRecords({ writer: new DynamoDbDerivedItemWriter(client, tableName), rules });
    let position = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: earlier, ExclusiveStartKey: startKey, Limit: INDEX_BATCH }));
      const records = [];
      for (const item of page.Items ?? []) {
        const event = readAgain(eventOf(item));
        const { outcome, key } = await store.put(event);
        if (outcome === 'stored') copied += 1;
        records.push(streamRecordOf(event, key, { source: `upgrade:${earlier}`, sequenceNumber: String(++position).padStart(12, '0') }));
      }
      if (records.length > 0) await index(records);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    await base.send(new DeleteTableCommand({ TableName: earlier }));
    // dynalite takes a moment to drop it: a start that found it still there would copy again (harmless, slow).
    await waitUntilTableNotExists({ client: base, maxWaitTime: 30, minDelay: 1 }, { TableName: earlier });
  }
  return copied;
}
