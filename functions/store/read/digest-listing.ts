import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type DigestEntry, decodeDigest, entryOrder, newestEntriesFirst } from '../digest-codec.ts';
import { isUntimedKey, timeOfKey } from '../event-keys.ts';
import type { EventFilter } from '../event-store.ts';
import { attributes as at, DIGEST_WINDOW_MS, eventsTable, SINGLE_SORT } from '../events-table.ts';
import { type Ref, sortBounds, withinRange } from './listing-ref.ts';
import type { limiter } from './newest-first.ts';

type Item = Record<string, unknown>;

/** Digest items per Query page when the listing is limited: each holds up to 150 entries. Then fourfold. */
const FIRST_DIGEST_PAGE = 4;
const MAX_DIGEST_PAGE = 256;

/**
 * One digest partition (the app's, or one command's), newest first, as refs (docs/key-design.md#digests).
 * Items come by their newest entry, descending; an entry is let out once no later item can hold a
 * newer one (its time is above the next item's newest), so memory holds about one item's minute. An
 * item's entries lie within one minute of its newest, so the Query reaches a minute past `until`.
 */
export async function* digestRefs(
  client: DynamoDBDocumentClient,
  tableName: string,
  partitionKey: string,
  withCommands: boolean,
  filter: Pick<EventFilter, 'since' | 'until' | 'limit'>,
  slot: ReturnType<typeof limiter>,
): AsyncGenerator<Ref> {
  const { lower, upper } = sortBounds(filter, DIGEST_WINDOW_MS);
  const sdkAppId = partitionKey.slice(0, partitionKey.indexOf('#'));
  const pending: DigestEntry[] = [];
  let sorted = true;
  function* release(above: number): Generator<Ref> {
    if (!sorted) newestEntriesFirst(pending);
    sorted = true;
    let n = 0;
    while (n < pending.length && pending[n]!.time > above) n += 1;
    for (const entry of pending.splice(0, n)) {
      if (!withinRange(entry.time, filter)) continue;
      const eventPartition = `${sdkAppId}#${entry.place}`;
      const order = entryOrder(entry);
      yield { order, key: { partitionKey: eventPartition, sortKey: isUntimedKey(eventPartition) ? SINGLE_SORT : order } };
    }
  }
  let pageSize: number | undefined = Number.isFinite(filter.limit) ? FIRST_DIGEST_PAGE : undefined;
  let startKey: Item | undefined;
  do {
    const limit = pageSize;
    const page = await slot(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#p = :p AND #s BETWEEN :lower AND :upper',
          ExpressionAttributeNames: { '#p': eventsTable.partitionKey, '#s': eventsTable.sortKey },
          ExpressionAttributeValues: { ':p': partitionKey, ':lower': lower, ':upper': upper },
          ScanIndexForward: false,
          ...(limit === undefined ? {} : { Limit: limit }),
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    if (pageSize !== undefined) pageSize = Math.min(MAX_DIGEST_PAGE, pageSize * 4);
    for (const item of page.Items ?? []) {
      yield* release(timeOfKey(item[at.sort] as string));
      pending.push(...decodeDigest(item[at.digest] as Uint8Array, withCommands));
      sorted = false;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  yield* release(-1);
}
