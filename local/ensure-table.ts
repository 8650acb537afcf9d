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
 * Creates a table as `table` describes unless one of its name exists, and returns once it is ACTIVE:
 * dynalite, as DynamoDB, creates a table CREATING first. Local mode's tables (events, state, policy
 * counters) each pass the deployment's own design.
 */
export async function ensureTable(client: DynamoDBClient, table: CreateTableCommandInput & { readonly TableName: string }): Promise<void> {
  if (await tableExists(client, table.TableName)) return;
  await client.send(new CreateTableCommand(table));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: table.TableName });
}
