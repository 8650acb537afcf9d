import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Whether a table of this name exists (in any state). */
export async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/**
 * How local mode waits on a table's status (the SDK's waiters, whose defaults, made for AWS, poll
 * every 20 s): a local store changes it within a moment, so it is asked again after 0.1 s, then less
 * and less often, at most every second. With a first wait of a whole second, a table that dynalite made
 * ACTIVE just after the first look (on disk, its write of the status races that look) kept a new
 * DATA_DIR's first start waiting a second per table, for nothing.
 */
export const LOCAL_TABLE_WAIT = { maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 } as const;

/**
 * Creates a table as `table` describes unless one of its name exists, and returns once it is ACTIVE:
 * dynalite, as DynamoDB, creates a table CREATING first. Local mode's tables (events, state, policy
 * counters) each pass the deployment's own design.
 */
export async function ensureTable(client: DynamoDBClient, table: CreateTableCommandInput & { readonly TableName: string }): Promise<void> {
  if (await tableExists(client, table.TableName)) return;
  await client.send(new CreateTableCommand(table));
  await waitUntilTableExists({ client, ...LOCAL_TABLE_WAIT }, { TableName: table.TableName });
}
