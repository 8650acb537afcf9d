import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MIGRATION_PARTITION, migrationProgressKey } from './event-keys.ts';
import { attributes as at } from './events-table.ts';

/**
 * How far the copy of a table of the second key design into the third has gone
 * (docs/key-design.md#moving-a-deployed-table): the copy (migrate-events.ts) reads the old table in
 * parallel Scan segments and saves this after each page, in the new table; a listing of the new
 * table reads it to know which old events it must still read from the old one.
 */
export interface SegmentProgress {
  /** Where the segment's Scan goes on: the last key of its last copied page; absent before its first. */
  readonly startKey?: Record<string, unknown>;
  readonly done: boolean;
}

export interface MigrationProgress {
  /** The old table's name. */
  readonly source: string;
  /** One per Scan segment: a Scan resumed with a start key keeps its segment count, so a copy keeps its first. */
  readonly segments: readonly SegmentProgress[];
  /** Events put into the new table by this copy. */
  readonly copied: number;
  /** Events the copy found there already (a page redone after a restart, an event the receiver stored too). */
  readonly already: number;
  /** The old table's item count (DescribeTable's, which AWS refreshes about every six hours): the estimate's base. */
  readonly sourceItems: number;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Raised by each save, which expects the one it read: two copies running at once cannot both advance. */
  readonly version: number;
}

export const newProgress = (source: string, segments: number, sourceItems: number, now: number): MigrationProgress => ({
  source,
  segments: Array.from({ length: segments }, () => ({ done: false })),
  copied: 0,
  already: 0,
  sourceItems,
  startedAt: now,
  updatedAt: now,
  version: 0,
});

export interface PageCopied {
  readonly copied: number;
  readonly already: number;
  /** The Scan's LastEvaluatedKey: undefined when the segment is done. */
  readonly startKey?: Record<string, unknown>;
  readonly now: number;
}

/** The progress after one of a segment's pages is copied and indexed. */
export function afterPage(progress: MigrationProgress, segment: number, page: PageCopied): MigrationProgress {
  return {
    ...progress,
    segments: progress.segments.map((state, n) =>
      n !== segment ? state : page.startKey === undefined ? { done: true } : { startKey: page.startKey, done: false },
    ),
    copied: progress.copied + page.copied,
    already: progress.already + page.already,
    updatedAt: page.now,
  };
}

export const isDone = (progress: MigrationProgress) => progress.segments.every((segment) => segment.done);

export const segmentsDone = (progress: MigrationProgress) => progress.segments.filter((segment) => segment.done).length;

const seen = (progress: MigrationProgress) => progress.copied + progress.already;

/**
 * Old events the copy has still to read, by the old table's item count: zero once done; undefined
 * when the count is zero or behind what the copy has read already (AWS refreshes it about every six hours).
 */
export function remainingEstimate(progress: MigrationProgress): number | undefined {
  if (isDone(progress)) return 0;
  return progress.sourceItems > 0 && progress.sourceItems >= seen(progress) ? progress.sourceItems - seen(progress) : undefined;
}

/**
 * Percent done: 100 only when every segment is done, 99 at most before (the item count is an
 * estimate); by the segments done when the item count is behind.
 */
export function percentDone(progress: MigrationProgress): number {
  if (isDone(progress)) return 100;
  const fraction = remainingEstimate(progress) === undefined ? segmentsDone(progress) / progress.segments.length : seen(progress) / progress.sourceItems;
  return Math.min(99, Math.floor(100 * fraction));
}

/** One line of the copy's progress, for stderr. */
export function progressLine(progress: MigrationProgress): string {
  const segments = `${segmentsDone(progress)}/${progress.segments.length} segments done`;
  const remaining = remainingEstimate(progress);
  const left = isDone(progress)
    ? 'none left'
    : remaining === undefined
      ? `how many are left is not known (the old table's item count, ${progress.sourceItems}, is refreshed by AWS about every six hours) (${percentDone(progress)}%)`
      : `about ${remaining} left (${percentDone(progress)}%)`;
  return `copied ${progress.copied}, already there ${progress.already}, ${segments}, ${left}`;
}

/** Another copy saved progress since this one read it. */
export class MigrationConflictError extends Error {
  override name = 'MigrationConflictError';
}

type Item = Record<string, unknown>;

const itemOfProgress = (progress: MigrationProgress): Item => {
  const key = migrationProgressKey(progress.source);
  return {
    [at.partition]: key.partitionKey,
    [at.sort]: key.sortKey,
    segments: progress.segments.map((segment) => (segment.startKey === undefined ? { done: segment.done } : segment)),
    copied: progress.copied,
    already: progress.already,
    sourceItems: progress.sourceItems,
    startedAt: progress.startedAt,
    updatedAt: progress.updatedAt,
    version: progress.version,
  };
};

const progressOfItem = (item: Item): MigrationProgress => ({
  source: item[at.sort] as string,
  segments: (item.segments as SegmentProgress[]).map((segment) => (segment.startKey === undefined ? { done: segment.done } : segment)),
  copied: item.copied as number,
  already: item.already as number,
  sourceItems: item.sourceItems as number,
  startedAt: item.startedAt as number,
  updatedAt: item.updatedAt as number,
  version: item.version as number,
});

/** The progress of the copy from `source` into `tableName`, if one has started. */
export async function readProgress(client: DynamoDBDocumentClient, tableName: string, source: string): Promise<MigrationProgress | undefined> {
  const key = migrationProgressKey(source);
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: { [at.partition]: key.partitionKey, [at.sort]: key.sortKey }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : progressOfItem(Item);
}

/** Every copy into `tableName`: one Query of the progress partition. */
export async function listProgress(client: DynamoDBDocumentClient, tableName: string): Promise<MigrationProgress[]> {
  const found: MigrationProgress[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': at.partition },
        ExpressionAttributeValues: { ':p': MIGRATION_PARTITION },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) found.push(progressOfItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return found;
}

/**
 * Saves `next` over the version it was made from (`next.version`), as that version plus one; the
 * first save expects no item. Rejects with MigrationConflictError when another copy saved meanwhile.
 */
export async function saveProgress(client: DynamoDBDocumentClient, tableName: string, next: MigrationProgress, fresh = false): Promise<MigrationProgress> {
  const saved = { ...next, version: next.version + 1 };
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: itemOfProgress(saved),
        ConditionExpression: fresh ? 'attribute_not_exists(#p)' : '#v = :v',
        ExpressionAttributeNames: fresh ? { '#p': at.partition } : { '#v': 'version' },
        ...(fresh ? {} : { ExpressionAttributeValues: { ':v': next.version } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new MigrationConflictError(
        `Another copy from ${next.source} saved its progress meanwhile: only one may run at a time. Let it finish, or stop it and run this again (it resumes where the copy stopped).`,
      );
    }
    throw error;
  }
  return saved;
}

/** Forgets a copy: for local mode, once the old table it copied from is dropped. */
export async function deleteProgress(client: DynamoDBDocumentClient, tableName: string, source: string): Promise<void> {
  const key = migrationProgressKey(source);
  await client.send(new DeleteCommand({ TableName: tableName, Key: { [at.partition]: key.partitionKey, [at.sort]: key.sortKey } }));
}
