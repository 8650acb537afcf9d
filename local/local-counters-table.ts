import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { countersTable, LOCAL_COUNTERS_TABLE_NAME } from '../functions/store/counters-table.ts';

/** Creates the policy counters table with the deployment's design (counters-table.ts) unless it exists. */
export async function ensureCountersTable(client: DynamoDBClient, tableName = LOCAL_COUNTERS_TABLE_NAME): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: countersTable.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: countersTable.partitionKey, KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
}
