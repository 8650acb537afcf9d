import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { stateTable } from '../functions/synced-view/state-table.ts';

/** The state table's name in local mode; in AWS, CloudFormation names it (output StateTableName). */
export const LOCAL_STATE_TABLE_NAME = 'tencent-im-callback-state';

/** Creates the state table with the deployment's key design (state-table.ts) unless it exists. */
export async function ensureStateTable(client: DynamoDBClient, tableName = LOCAL_STATE_TABLE_NAME): Promise<void> {
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
      AttributeDefinitions: [stateTable.partitionKey, stateTable.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: stateTable.partitionKey, KeyType: 'HASH' },
        { AttributeName: stateTable.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
}
