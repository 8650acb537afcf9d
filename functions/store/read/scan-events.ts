import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { attributes as at } from '../events-table.ts';

type Item = Record<string, unknown>;

export interface ScanEventsOptions {
  /** Only events that first arrived at or after this time (epoch ms). */
  readonly receivedSince?: number;
  /** Only events that first arrived before this time (epoch ms). */
  readonly receivedUntil?: number;
  /** Leave out the migration's copies (`m`), as the stream's consumers do. Default: false. */
  readonly withoutCopies?: boolean;
  readonly consistentRead?: boolean;
}

/**
 * Every event item of a table, page by page, by a Scan: it reads the whole table (about ⅛ unit per
 * KB), so it is for a small local table (local mode's catch-up), a repair of last resort (`npm run
 * events -- --reindex --since --until`) and tests, never a listing. Pointers, digests and markers are
 * left out; so are items of the earlier designs.
 */
export async function* scanEventItems(client: DynamoDBDocumentClient, tableName: string, options: ScanEventsOptions = {}): AsyncGenerator<Item[]> {
  const conditions = ['attribute_exists(#b)'];
  const values: Record<string, unknown> = {};
  if (options.receivedSince !== undefined) {
    conditions.push('#ra >= :since');
    values[':since'] = options.receivedSince;
  }
  if (options.receivedUntil !== undefined) {
    conditions.push('#ra < :until');
    values[':until'] = options.receivedUntil;
  }
  if (options.withoutCopies === true) conditions.push('attribute_not_exists(#m)');
  const names: Record<string, string> = { '#b': at.body };
  if (options.receivedSince !== undefined || options.receivedUntil !== undefined) names['#ra'] = at.receivedAt;
  if (options.withoutCopies === true) names['#m'] = at.mark;
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
        ExclusiveStartKey: startKey,
        ConsistentRead: options.consistentRead,
      }),
    );
    if ((page.Items ?? []).length > 0) yield page.Items!;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
