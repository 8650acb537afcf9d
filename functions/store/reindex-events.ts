import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { indexRecords } from '../fan-out/index-records.ts';
import { ActorHeat, WHOLE_TRAFFIC_HEAT_THRESHOLD } from './actor-heat.ts';
import { DynamoDbDerivedItemWriter } from './derived-item-writer.ts';
import { streamRecordOfItem } from './event-image.ts';
import type { KeyRules } from './event-keys.ts';
import { attributes as at } from './events-table.ts';

export interface ReindexWindow {
  /** Events that arrived at or after this time (epoch ms, their `ra`). */
  readonly since?: number;
  /** Events that arrived before this time. */
  readonly until?: number;
}

export interface ReindexCounts {
  /** Items the Scan read (DynamoDB bills these, matching or not). */
  readonly scanned: number;
  /** Events indexed again. */
  readonly indexed: number;
}

/**
 * The indexer stage again over the events that arrived in a window (docs/key-design.md#the-indexer):
 * for derived items a failed indexer batch never wrote (design note §7.3's last resort). A Scan of the
 * whole table for event items (`b`) with `ra` in the window, each page indexed as one batch, the
 * migration's copies (`m`) too, since their indexing is the copy's. Idempotent: pointers are keyed by
 * the event, and a digest entry written twice is listed once. Yields the counts after each page.
 */
export async function* reindexEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  window: ReindexWindow,
  options: { readonly rules?: KeyRules } = {},
): AsyncGenerator<ReindexCounts> {
  const index = indexRecords({
    writer: new DynamoDbDerivedItemWriter(client, tableName),
    rules: options.rules,
    heat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
  });
  const conditions = [
    'attribute_exists(#b)',
    ...(window.since === undefined ? [] : ['#ra >= :since']),
    ...(window.until === undefined ? [] : ['#ra < :until']),
  ];
  let scanned = 0;
  let indexed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#b': at.body, ...(conditions.length > 1 ? { '#ra': at.receivedAt } : {}) },
        ...(conditions.length > 1
          ? {
              ExpressionAttributeValues: {
                ...(window.since === undefined ? {} : { ':since': window.since }),
                ...(window.until === undefined ? {} : { ':until': window.until }),
              },
            }
          : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    scanned += page.ScannedCount ?? 0;
    // The page's identity: the same page indexed again writes the same digest items.
    const source = `reindex:${tableName}:${JSON.stringify(startKey ?? null)}`;
    // A copy's mark (`m`) would make the indexer skip it, as the stream's consumers do: its indexing was the copy's, and is this one's now.
    const records = (page.Items ?? []).map(({ [at.mark]: _copied, ...item }, n) =>
      streamRecordOfItem(item, { source, sequenceNumber: String(n).padStart(12, '0') }),
    );
    if (records.length > 0) indexed += (await index(records)).events;
    startKey = page.LastEvaluatedKey;
    yield { scanned, indexed };
  } while (startKey !== undefined);
}
