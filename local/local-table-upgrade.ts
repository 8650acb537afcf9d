import { DeleteTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyRules } from '../functions/store/event-keys.ts';
import { migrateEvents } from '../functions/store/migrate-events.ts';
import { deleteProgress } from '../functions/store/migration-progress.ts';
import { LOCAL_TABLE_WAIT } from './ensure-table.ts';

/**
 * The local tables of the earlier key designs, which a data directory may still hold, newest first:
 * the second (spread indexes), the first (two unspread indexes).
 */
export const EARLIER_LOCAL_TABLE_NAMES = ['tencent-im-callback-events-2', 'tencent-im-callback-events'] as const;

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
 * them: a key schema cannot change, so the events move. The copy is the deployed tables' own
 * (functions/store/migrate-events.ts): each event read again by its definition as it is now, put like
 * a new one (the current keys, once), then indexed by the fan-out consumer's indexer stage, so the
 * app-wide, per-command and per-account listings find it; a start cut short resumes at the page it was
 * in. The copies are not appended to the change log: the view and the forward target had them when
 * they were first stored. Once the old table is dropped, its progress item goes too: a table of that
 * name made later is copied afresh. `rules` are the deployment's key rules (busyAccounts). Returns how
 * many events this start stored anew.
 */
export async function upgradeLegacyTable(base: DynamoDBClient, client: DynamoDBDocumentClient, tableName: string, rules: KeyRules = {}): Promise<number> {
  let copied = 0;
  for (const earlier of EARLIER_LOCAL_TABLE_NAMES) {
    if (!(await exists(base, earlier))) continue;
    // One segment: a data directory is small, and local mode has no stream to mark copies for.
    // A start cut short copied some already: its progress says how many, and they are not this start's.
    let before: number | undefined;
    const done = await migrateEvents(client, {
      from: earlier,
      to: tableName,
      sourceItems: 0,
      segments: 1,
      markCopies: false,
      // Keyed by the deployment's rules (its busy accounts), as the receiver keys a new event.
      rules,
      onProgress: (progress) => {
        before ??= progress.copied;
      },
    });
    copied += done.copied - (before ?? 0);
    await base.send(new DeleteTableCommand({ TableName: earlier }));
    // dynalite takes a moment to drop it: a start that found it still there would copy again (harmless, slow).
    await waitUntilTableNotExists({ client: base, ...LOCAL_TABLE_WAIT }, { TableName: earlier });
    await deleteProgress(client, tableName, earlier);
  }
  return copied;
}
