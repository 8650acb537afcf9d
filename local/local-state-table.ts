import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { stateTable } from '../functions/synced-view/state-table.ts';
import { ensureTable } from './ensure-table.ts';

/** The state table's name in local mode; in AWS, CloudFormation names it (output StateTableName). */
export const LOCAL_STATE_TABLE_NAME = 'tencent-im-callback-state';

/** Creates the state table with the deployment's key design (state-table.ts) unless it exists. */
export async function ensureStateTable(client: DynamoDBClient, tableName = LOCAL_STATE_TABLE_NAME): Promise<void> {
  await ensureTable(client, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [stateTable.partitionKey, stateTable.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: stateTable.partitionKey, KeyType: 'HASH' },
      { AttributeName: stateTable.sortKey, KeyType: 'RANGE' },
    ],
  });
}
