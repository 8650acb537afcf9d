import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { indexRecords } from '../fan-out/index-records.ts';
import { ActorHeat, WHOLE_TRAFFIC_HEAT_THRESHOLD } from './actor-heat.ts';
import { DynamoDbDerivedItemWriter } from './derived-item-writer.ts';
import { DynamoDbEventStore } from './dynamodb-event-store.ts';
import { streamRecordOf } from './event-image.ts';
import type { KeyRules } from './event-keys.ts';
import { eventOfOldItem } from './legacy/old-event.ts';
import { afterPage, isDone, type MigrationProgress, newProgress, readProgress, saveProgress } from './migration-progress.ts';

/** Scan segments read side by side: enough to hide a round trip, few enough for a table's on-demand start. */
export const DEFAULT_SEGMENTS = 4;
/**
 * The most Scan segments a copy may have: its progress item (migration-progress.ts) keeps each
 * segment's start key, and an item holds 400 KB at most (an old key is up to ~1 KB). More than this
 * many segments side by side would outrun a new on-demand table's first writes anyway.
 */
export const MAX_SEGMENTS = 64;
/** Items per Scan page: one page is one indexer batch (a stream batch's size in AWS) and one progress save. */
export const DEFAULT_PAGE_ITEMS = 100;

export interface MigrateOptions {
  /** The table of an earlier key design. */
  readonly from: string;
  /** The table of the third. */
  readonly to: string;
  /** The old table's item count (DescribeTable's): the progress's estimate. */
  readonly sourceItems: number;
  /** Scan segments of a new copy, 1 to MAX_SEGMENTS; a resumed copy keeps its own. Default: DEFAULT_SEGMENTS. */
  readonly segments?: number;
  readonly pageItems?: number;
  /**
   * Marks the copies (`m`) so the new table's stream consumers skip them: they were published from the
   * old table's. Default: true. Local mode, which has no stream, passes false.
   */
  readonly markCopies?: boolean;
  readonly rules?: KeyRules;
  /** Called after each saved page, and once at the start with the progress it starts from. */
  readonly onProgress?: (progress: MigrationProgress) => void;
  readonly now?: () => number;
}

/**
 * Copies the events of a table of an earlier key design into the third design's table
 * (docs/key-design.md#moving-a-deployed-table): each old item is read again by its definition as the
 * receiver reads a body now (after-events.ts `readAgain`: accounts by role, place, actor, time),
 * keeping its arrival, TTL, client IP and platform, and put with the receiver's conditional put, so
 * one already there (the receiver's own, or a page redone) is `duplicate`; then every event of the
 * page, duplicates too, goes through the fan-out's indexer stage, which writes its pointers and digest
 * entries: a copy stopped between a page's puts and its indexing finds them there when it redoes it.
 *
 * The old table is read by a parallel Scan, not in time order: a Scan reads every item whatever its
 * app or design (first-design items never backfilled have no listing keys), resumes exactly at a
 * saved key, and leaves a listing one simple question for what is not copied yet (the rest of each
 * segment: read/migrating-event-reader.ts). The price is digest density: a page spans the table's
 * whole time, so its digest entries fall in many minutes (up to two small digest items an event).
 *
 * After each page the progress (migration-progress.ts) is saved in the new table over the version
 * read, so of two copies running at once one stops (MigrationConflictError) rather than both
 * advancing, its segments each at their next page, before it rejects; a copy stopped anywhere
 * resumes at the last saved page, whose puts then say `duplicate` and whose indexing is redone with
 * the same batch identity (the same digest items). Resolves with the final progress.
 */
export async function migrateEvents(client: DynamoDBDocumentClient, options: MigrateOptions): Promise<MigrationProgress> {
  const now = options.now ?? Date.now;
  const pageItems = options.pageItems ?? DEFAULT_PAGE_ITEMS;
  const segments = options.segments ?? DEFAULT_SEGMENTS;
  if (!Number.isSafeInteger(segments) || segments < 1 || segments > MAX_SEGMENTS)
    throw new RangeError(`segments must be 1 to ${MAX_SEGMENTS}, not ${segments}`);
  const found = await readProgress(client, options.to, options.from);
  let saving: Promise<MigrationProgress> =
    found === undefined
      ? saveProgress(client, options.to, newProgress(options.from, segments, options.sourceItems, now()), true)
      : Promise.resolve({ ...found, sourceItems: options.sourceItems });
  const start = await saving;
  options.onProgress?.(start);
  if (isDone(start)) return start;

  const store = new DynamoDbEventStore(client, options.to, {
    rules: options.rules,
    actorHeat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
    copies: options.markCopies ?? true,
  });
  // A writer that sees all of the traffic, as the fan-out's indexer: an account named fast is spread wide.
  const index = indexRecords({
    writer: new DynamoDbDerivedItemWriter(client, options.to),
    rules: options.rules,
    heat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
  });
  const totalSegments = start.segments.length;

  // Set by the first segment that fails (a conflict, AWS, the network): the others stop at their next page.
  const stop: { failed: boolean; error?: unknown } = { failed: false };
  const copySegment = async (segment: number) => {
    let state = start.segments[segment]!;
    while (!state.done && !stop.failed) {
      const page = await client.send(
        new ScanCommand({
          TableName: options.from,
          Segment: segment,
          TotalSegments: totalSegments,
          Limit: pageItems,
          ExclusiveStartKey: state.startKey,
        }),
      );
      let copied = 0;
      let already = 0;
      const records = [];
      // The page's batch identity: a page redone after a restart indexes as the same batch.
      const source = `migrate:${options.from}:${segment}:${JSON.stringify(state.startKey ?? null)}`;
      for (const item of page.Items ?? []) {
        const event = eventOfOldItem(item);
        const { outcome, key } = await store.put(event);
        if (outcome === 'stored') copied += 1;
        else already += 1;
        records.push(streamRecordOf(event, key, { source, sequenceNumber: String(records.length).padStart(12, '0') }));
      }
      if (records.length > 0) await index(records);
      const pageDone = { copied, already, startKey: page.LastEvaluatedKey, now: now() };
      // Saves one at a time, each over the last: the segments' pages finish in any order.
      saving = saving.then((current) => saveProgress(client, options.to, afterPage(current, segment, pageDone)));
      const saved = await saving;
      options.onProgress?.(saved);
      state = saved.segments[segment]!;
    }
  };
  // Every segment settled before the copy says it stopped: nothing of it runs on after it rejects.
  await Promise.all(
    start.segments.map((_, segment) =>
      copySegment(segment).catch((error: unknown) => {
        if (stop.failed) return;
        stop.failed = true;
        stop.error = error;
      }),
    ),
  );
  if (stop.failed) throw stop.error;
  return saving;
}
