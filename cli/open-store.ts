/**
 * The store a command-line tool reads: the local one (DATA_DIR's, through a running `npm start` when
 * there is one, local/embedded-store.ts) or a deployed table, by name, with the user's AWS
 * credentials and region. Written once for every command that takes `--table NAME [--region R]`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keyRulesOf } from '../functions/shared/busy-accounts.ts';
import { settingsFromContextAndEnvironment } from '../functions/shared/settings.ts';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import { cdkJsonContext } from '../infra/cdk-context.ts';
import { openLocalStore } from '../local/embedded-store.ts';
import type { ListingSource } from './listing-source.ts';
import { regionConfig } from './stack-options.ts';

export interface OpenedStore {
  readonly client: DynamoDBDocumentClient;
  /** The table asked for, or in the local store the one named `localTableName`. */
  readonly tableName: string;
  close(): Promise<void>;
}

/** The source a command was asked for: `--table NAME [--region R]`, else the local store of DATA_DIR. */
export const askedSource = (table: string | undefined, region: string | undefined, dataDir: string): ListingSource =>
  table === undefined ? { type: 'local', dataDir } : { type: 'table', tableName: table, region };

/**
 * The local store at `source.dataDir` and its table `localTableName`, opened with the key rules of
 * the settings (cdk.json's context, the environment) as `npm start` opens it; or the deployed table
 * through a client of its region.
 */
export async function openStore(source: ListingSource, localTableName: string): Promise<OpenedStore> {
  if (source.type === 'local') {
    const rules = keyRulesOf(settingsFromContextAndEnvironment(cdkJsonContext(), process.env).busyAccounts);
    return { ...(await openLocalStore(source.dataDir, rules)), tableName: localTableName };
  }
  const client = documentClient(new DynamoDBClient(regionConfig(source.region)));
  return { client, tableName: source.tableName, close: async () => client.destroy() };
}
