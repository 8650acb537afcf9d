import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { untilProcessed } from '../../shared/until-processed.ts';
import type { EventFilter } from '../event-store.ts';
import { limiter, newestFirst } from '../read/newest-first.ts';
import { afterCommand, type KeyRange, rangesOf } from './legacy-ranges.ts';
import { eventsTable } from './legacy-table.ts';

type Item = Record<string, unknown>;

/** Queries in flight at once for one listing: enough to hide latency, few enough not to throttle reads. */
const CONCURRENCY = 32;
/**
 * Index entries per page over all ranges (a few hundred bytes each in memory, twice over with the
 * page read ahead): what keeps a listing's memory flat, ~25 MB however long it runs.
 */
const ENTRY_BUDGET = 20_000;
/** BatchGetItem's ceiling per request. */
const BATCH_GET_KEYS = 100;

export interface ListingTuning {
  /** Index entries per Query page. Default: what the entry budget allows over the listing's ranges. */
  readonly queryPageSize?: number;
}

/**
 * A listing read from DynamoDB: the ranges of event-ranges.ts queried newest first through the
 * indexes (which carry keys only), merged by time, then the events read by key, page by page.
 */
export async function* itemPages(client: DynamoDBDocumentClient, tableName: string, filter: EventFilter, tuning: ListingTuning = {}): AsyncGenerator<Item[]> {
  if (filter.limit <= 0) return;
  const slot = limiter(CONCURRENCY);
  const ranges = await rangesOf(filter, (partition) => commandsIn(client, tableName, partition, slot));
  if (ranges.length === 0) return;
  const pageSize = tuning.queryPageSize ?? Math.max(10, Math.min(1_000, Math.floor(ENTRY_BUDGET / ranges.length), filter.limit));
  const entries = newestFirst(
    ranges.map((range) => rangeEntries(client, tableName, range, pageSize, slot)[Symbol.asyncIterator]()),
    (entry) => entry.order,
  );
  let wanted = filter.limit;
  let keys: string[] = [];
  const flush = async () => {
    const page = await itemsByKey(client, tableName, keys);
    keys = [];
    return page;
  };
  for await (const entry of entries) {
    keys.push(entry.eventId);
    wanted -= 1;
    if (keys.length === Math.min(BATCH_GET_KEYS, filter.limit) || wanted === 0) yield await flush();
    if (wanted === 0) return;
  }
  if (keys.length > 0) yield await flush();
}

/** One range's index entries, newest first, a page ahead of the merge that reads them. */
async function* rangeEntries(client: DynamoDBDocumentClient, tableName: string, range: KeyRange, pageSize: number, slot: ReturnType<typeof limiter>) {
  const matches = Object.entries(range.match);
  const query = (startKey: Item | undefined) =>
    slot(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: range.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
          ...(matches.length === 0 ? {} : { FilterExpression: matches.map((_, i) => `#m${i} = :m${i}`).join(' AND ') }),
          ExpressionAttributeNames: { '#pk': range.partitionKey, '#sk': range.sortKey, ...Object.fromEntries(matches.map(([name], i) => [`#m${i}`, name])) },
          ExpressionAttributeValues: {
            ':pk': range.partition,
            ':lower': range.lower,
            ':upper': range.upper,
            ...Object.fromEntries(matches.map(([, value], i) => [`:m${i}`, value])),
          },
          ScanIndexForward: false,
          Limit: pageSize,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
  // A page is read ahead while the merge is still busy with this one: its failure is handled (here, so
  // it never goes unhandled while the generator waits at a yield) and rethrown when it is awaited.
  const readAhead = (startKey: Item | undefined) => {
    const next = query(startKey);
    next.catch(() => undefined);
    return next;
  };
  let page = readAhead(undefined);
  // A listing that stops early leaves the page read ahead unread: its failure is then nobody's.
  for (;;) {
    const { Items = [], LastEvaluatedKey } = await page;
    if (LastEvaluatedKey !== undefined) page = readAhead(LastEvaluatedKey);
    for (const item of Items) {
      yield { eventId: item[eventsTable.partitionKey] as string, order: (item[range.sortKey] as string).slice(range.prefix.length) };
    }
    if (LastEvaluatedKey === undefined) return;
  }
}

/** The commands (as key parts) a byApp partition holds, one short query each: skipping, not scanning. */
async function commandsIn(client: DynamoDBDocumentClient, tableName: string, partition: string, slot: ReturnType<typeof limiter>): Promise<string[]> {
  const { byApp } = eventsTable.indexes;
  const found: string[] = [];
  for (;;) {
    const after = found.length === 0 ? undefined : afterCommand(found.at(-1)!);
    const { Items = [] } = await slot(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: byApp.indexName,
          KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
          ExpressionAttributeNames: { '#pk': byApp.partitionKey, ...(after === undefined ? {} : { '#sk': byApp.sortKey }) },
          ExpressionAttributeValues: { ':pk': partition, ...(after === undefined ? {} : { ':after': after }) },
          Limit: 1,
        }),
      ),
    );
    const sortKey = Items[0]?.[byApp.sortKey];
    if (typeof sortKey !== 'string') return found;
    found.push(sortKey.slice(0, sortKey.indexOf('#')));
  }
}

/** The items of these ids, in this order; one deleted meanwhile (TTL) is left out. */
async function itemsByKey(client: DynamoDBDocumentClient, tableName: string, eventIds: readonly string[]): Promise<Item[]> {
  const byId = new Map<string, Item>();
  await untilProcessed(
    eventIds.map((eventId): Item => ({ [eventsTable.partitionKey]: eventId })),
    async (keys) => {
      const { Responses, UnprocessedKeys } = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys] } } }));
      for (const item of Responses?.[tableName] ?? []) byId.set(item[eventsTable.partitionKey] as string, item);
      return (UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    },
    (count) => `${count} events could not be read`,
  );
  return eventIds.map((eventId) => byId.get(eventId)).filter((item): item is Item => item !== undefined);
}
