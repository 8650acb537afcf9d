import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { indexRecords } from '../fan-out/index-records.ts';
import { ActorHeat, WHOLE_TRAFFIC_HEAT_THRESHOLD } from './actor-heat.ts';
import { DynamoDbDerivedItemWriter } from './derived-item-writer.ts';
import { streamRecordOfItem } from './event-image.ts';
import type { KeyRules } from './event-keys.ts';
import { attributes as at } from './events-table.ts';
import { scanEventItems } from './read/scan-events.ts';

export interface ReindexWindow {
  /** Events that arrived at or after this time (epoch ms, their `ra`). */
  readonly since?: number;
  /** Events that arrived before this time. */
  readonly until?: number;
}

/**
 * The indexer stage again over the events that arrived in a window (docs/key-design.md#reindex): for
 * derived items a failed indexer batch never wrote (design note §7.3's last resort). A Scan of the
 * whole table for event items with `ra` in the window (read/scan-events.ts), each page indexed as one
 * batch, the migration's copies (`m`) too, since their indexing was the copy's. Idempotent: pointers
 * are keyed by the event, a page's digest items by its content (pageIdentity), and a digest entry
 * written twice is listed once. Yields the running count of events indexed after each page.
 */
export async function* reindexEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  window: ReindexWindow,
  options: { readonly rules?: KeyRules } = {},
): AsyncGenerator<number> {
  const index = indexRecords({
    writer: new DynamoDbDerivedItemWriter(client, tableName),
    rules: options.rules,
    heat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
  });
  let indexed = 0;
  for await (const items of scanEventItems(client, tableName, { receivedSince: window.since, receivedUntil: window.until })) {
    const source = `reindex:${tableName}:${pageIdentity(items)}`;
    // A copy's mark would make the indexer skip it, as the stream's consumers do: its indexing was the copy's, and is this one's now.
    const records = items.map(({ [at.mark]: _copied, ...item }, n) => streamRecordOfItem(item, { source, sequenceNumber: String(n).padStart(12, '0') }));
    indexed += (await index(records)).events;
    yield indexed;
  }
}

/**
 * A page's batch identity, of which its digest items' keys are made (derived-items.ts): a hash of its
 * events' keys, so the same events indexed again write the same digest items, and another set (a
 * narrower window, pages cut elsewhere) never writes over them. A page's number would: the first page
 * of [X, Y] and then of [X] alone would key one digest item, whose second write drops Y.
 */
function pageIdentity(items: readonly Record<string, unknown>[]): string {
  const keys = items.map((item) => `${String(item[at.partition])}\n${String(item[at.sort])}`).sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32);
}
