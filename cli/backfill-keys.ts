import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { indexAttributes } from '../functions/store/legacy/legacy-keys.ts';
import { eventsTable, legacyEventOf } from '../functions/store/legacy/legacy-table.ts';

/**
 * Adds the second design's index keys to the events stored with the first (a table of the second
 * design, before its move to the third: docs/key-design.md#moving-a-deployed-table), so the new
 * indexes list them too. A Scan, once, for items without `appKey` (every current item has one);
 * each gets its keys with an UpdateItem that only adds them: run again, it skips what is done.
 * Yields the running count of updated items after each page.
 */
export async function* backfillKeys(client: DynamoDBDocumentClient, tableName: string): AsyncGenerator<{ readonly scanned: number; readonly updated: number }> {
  const marker = eventsTable.indexes.byApp.partitionKey;
  let scanned = 0;
  let updated = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'attribute_not_exists(#marker)',
        ExpressionAttributeNames: { '#marker': marker },
        ExclusiveStartKey: startKey,
      }),
    );
    scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const keys = Object.entries(indexAttributes(legacyEventOf(item)));
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: { [eventsTable.partitionKey]: item[eventsTable.partitionKey] },
            UpdateExpression: `SET ${keys.map((_, i) => `#k${i} = :k${i}`).join(', ')}`,
            // Only items still without keys, and only ones that still exist (TTL may have taken one).
            ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#marker)',
            ExpressionAttributeNames: { '#id': eventsTable.partitionKey, '#marker': marker, ...Object.fromEntries(keys.map(([name], i) => [`#k${i}`, name])) },
            ExpressionAttributeValues: Object.fromEntries(keys.map(([, value], i) => [`:k${i}`, value])),
          }),
        )
        .then(
          () => (updated += 1),
          (error: Error) => {
            if (error.name !== 'ConditionalCheckFailedException') throw error;
          },
        );
    }
    startKey = page.LastEvaluatedKey;
    yield { scanned, updated };
  } while (startKey !== undefined);
}
