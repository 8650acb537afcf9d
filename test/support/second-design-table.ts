/**
 * A table of the second key design (functions/store/legacy/legacy-table.ts: partition key `eventId`, no
 * index) in an embedded store, holding events as that receiver wrote them (bench/second-design-table.ts's
 * secondDesignItem): what the migration and local mode's upgrade copy from. The deployed table's
 * indexes are test/integration/cli/events-migrate.test.ts's.
 */
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { secondDesignItem } from '../../bench/second-design-table.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { eventsTable as secondDesign } from '../../functions/store/legacy/legacy-table.ts';
import { type EmbeddedStore, localClient } from '../../local/embedded-store.ts';
import { LOCAL_TABLE_WAIT } from '../../local/ensure-table.ts';

export async function secondDesignTable(store: EmbeddedStore, name: string, events: readonly StoredEvent[]): Promise<void> {
  const client = localClient(store.endpoint, { sign: store.checksSignatures });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: secondDesign.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: secondDesign.partitionKey, KeyType: 'HASH' }],
      }),
    );
    // dynalite creates a table as DynamoDB does, CREATING first: written to only once ACTIVE.
    await waitUntilTableExists({ client, ...LOCAL_TABLE_WAIT }, { TableName: name });
  } finally {
    client.destroy();
  }
  for (let i = 0; i < events.length; i += 25) {
    const chunk = events.slice(i, i + 25).map((event) => ({ PutRequest: { Item: secondDesignItem(event) } }));
    await store.client.send(new BatchWriteCommand({ RequestItems: { [name]: chunk } }));
  }
}
