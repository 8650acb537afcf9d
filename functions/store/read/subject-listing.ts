import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isUntimedKey } from '../event-keys.ts';
import type { EventFilter } from '../event-store.ts';
import { attributes as at, eventsTable, SINGLE_SORT } from '../events-table.ts';
import { type Ref, sortBounds } from './listing-ref.ts';
import type { limiter } from './newest-first.ts';

type Item = Record<string, unknown>;

/** The largest Query page a source asks for: DynamoDB stops at 1 MB anyway. */
export const MAX_PAGE_ITEMS = 1_000;

/** One partition of a subject: a place key of the table, or an actor key of `byActor`. */
export interface SubjectPartition {
  readonly index?: typeof eventsTable.byActor.indexName;
  readonly key: string;
}

/** What a subject's partition holds besides the wanted events, filtered out by DynamoDB: attributes the table, the index and pointers all carry. */
export interface SubjectMatch {
  readonly command?: string;
  /** The event's group, or one of its other groups. */
  readonly group?: string;
}

/**
 * A subject's partition, newest first, as refs (docs/key-design.md#listings): an event row of the
 * table is the event itself; a pointer row (`r`) and an index row name where the event is. Pages
 * start small when the listing is limited (twice the even share of its limit), then grow fourfold,
 * and the next page is read while the merge works on this one.
 */
export async function* subjectRefs(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: SubjectPartition,
  filter: Pick<EventFilter, 'since' | 'until'>,
  match: SubjectMatch,
  firstPage: number,
  slot: ReturnType<typeof limiter>,
): AsyncGenerator<Ref> {
  const { lower, upper } = sortBounds(filter);
  const keyName = partition.index === undefined ? eventsTable.partitionKey : eventsTable.byActor.partitionKey;
  const conditions = [...(match.command === undefined ? [] : ['#c = :c']), ...(match.group === undefined ? [] : ['(#g = :g OR contains(#gx, :g))'])];
  const query = (startKey: Item | undefined, limit: number) =>
    slot(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: partition.index,
          KeyConditionExpression: '#k = :k AND #s BETWEEN :lower AND :upper',
          ...(conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND ') }),
          ExpressionAttributeNames: {
            '#k': keyName,
            '#s': eventsTable.sortKey,
            ...(match.command === undefined ? {} : { '#c': at.command }),
            ...(match.group === undefined ? {} : { '#g': at.group, '#gx': at.otherGroups }),
          },
          ExpressionAttributeValues: {
            ':k': partition.key,
            ':lower': lower,
            ':upper': upper,
            ...(match.command === undefined ? {} : { ':c': match.command }),
            ...(match.group === undefined ? {} : { ':g': match.group }),
          },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
  // A page read ahead has its failure handled here (it never goes unhandled while the generator waits
  // at a yield) and rethrown when awaited; one a listing stopped before reading is nobody's.
  const readAhead = (startKey: Item | undefined, limit: number) => {
    const next = query(startKey, limit);
    next.catch(() => undefined);
    return next;
  };
  let pageSize = firstPage;
  let page = readAhead(undefined, pageSize);
  for (;;) {
    const { Items = [], LastEvaluatedKey } = await page;
    pageSize = Math.min(MAX_PAGE_ITEMS, pageSize * 4);
    if (LastEvaluatedKey !== undefined) page = readAhead(LastEvaluatedKey, pageSize);
    for (const row of Items) {
      const sortKey = row[at.sort] as string;
      const ref = row[at.ref];
      if (typeof ref === 'string') {
        // A pointer: the event is at its place, at the same sort key, or alone under its id when untimed.
        yield { order: sortKey, key: { partitionKey: ref, sortKey: isUntimedKey(ref) ? SINGLE_SORT : sortKey } };
      } else if (row[at.body] !== undefined) yield { order: sortKey, key: { partitionKey: row[at.partition] as string, sortKey }, item: row };
      else yield { order: sortKey, key: { partitionKey: row[at.partition] as string, sortKey } };
    }
    if (LastEvaluatedKey === undefined) return;
  }
}
