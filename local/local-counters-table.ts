import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { countersTable, LOCAL_COUNTERS_TABLE_NAME } from '../functions/store/counters-table.ts';
import { ensureTable } from './ensure-table.ts';

/** Creates the policy counters table with the deployment's design (counters-table.ts) unless it exists. */
export async function ensureCountersTable(client: DynamoDBClient, tableName = LOCAL_COUNTERS_TABLE_NAME): Promise<void> {
  await ensureTable(client, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: countersTable.partitionKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: countersTable.partitionKey, KeyType: 'HASH' }],
  });
}
