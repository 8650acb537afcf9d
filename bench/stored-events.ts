import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { attributes } from '../functions/store/events-table.ts';

/**
 * Counts a table's event items with Scan's Select COUNT, page by page (a page stops at 1 MB read):
 * the items that hold a body, as functions/store/event-item.ts `isEventItem` tells them, not the
 * store's other items (markers, pointers) that the third key design writes beside them.
 */
export async function countStoredEvents(client: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        FilterExpression: 'attribute_exists(#body)',
        ExpressionAttributeNames: { '#body': attributes.body },
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
}
