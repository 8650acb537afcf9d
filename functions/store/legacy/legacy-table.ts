import type { StoredEvent } from '../event-store.ts';
import { legacyPayloadText } from '../stored-payload.ts';
/**
 * The second key design of the events table, kept for the tables that still have it: the migration
 * reads them (migrate-events.ts), and a deployed one stays in the stack, unchanged, until it is
 * retired (infra/events-table.ts). Every item is one after-event; its keys are legacy-keys.ts'.
 *
 * - `eventId` (partition key) is derived from the delivery (event-id.ts), so writing it with
 *   `attribute_not_exists(eventId)` stores a repeated delivery once. One write per key, ever.
 * - `bySubject` lists one group's events, or one user's events outside groups, in time order. Its
 *   partition key is spread over `shards` keys by a hash of the event id, so one live room at
 *   10,000 messages a second writes ~80 a second to each, not 10,000 to one (DynamoDB takes about
 *   1,000 a second per partition key, and a throttled index throttles the table's writes with it).
 * - `byApp` lists one command's events, or all of the app's, in time order: partition = the app,
 *   spread the same way over more keys (it takes the whole app's traffic); sort key = command, then
 *   time, so one command is one key range and the app's commands are found by skipping from one
 *   command's range to the next, never by a Scan.
 * - Both project only the keys and what listing filters read (`include`): the payload stays in the
 *   table and is read by key (BatchGetItem). Each index entry is then well under 1 KB: one write unit.
 * - `expiresAt` (epoch seconds) is the TTL attribute. The stream carries each new item (NEW_IMAGE)
 *   to the table's consumers.
 */
export interface IndexDesign {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** How many partition key values one logical key (a group, a user, an app) is spread over. */
  readonly shards: number;
  /** Non-key attributes the index carries: what a listing filters on. */
  readonly include: readonly string[];
}

export const eventsTable = {
  partitionKey: 'eventId',
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_IMAGE',
  indexes: {
    bySubject: { indexName: 'bySubject', partitionKey: 'subjectKey', sortKey: 'timeKey', shards: 128, include: ['command', 'user'] },
    byApp: { indexName: 'byApp', partitionKey: 'appKey', sortKey: 'commandTimeKey', shards: 256, include: ['command'] },
  },
} as const satisfies {
  partitionKey: string;
  timeToLiveAttribute: string;
  stream: string;
  indexes: Record<string, IndexDesign>;
};

/**
 * The indexes of the first design, one unspread key per group and per command, each carrying the
 * whole item. A deployed table still has them until its migration removes them (infra/events-table.ts);
 * new items no longer write their keys, so they take no more writes.
 */
export const legacyIndexes = {
  byGroup: { indexName: 'byGroup', partitionKey: 'groupKey', sortKey: 'timeKey' },
  byCommand: { indexName: 'byCommand', partitionKey: 'commandKey', sortKey: 'timeKey' },
} as const;

/** The attributes only the indexes use: a listing returns the event without them. */
export const keyAttributes: readonly string[] = [
  ...new Set([
    ...Object.values(eventsTable.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
    ...Object.values(legacyIndexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  ]),
];

/** An index as CloudFormation or CreateTable builds it: `ALL` for the legacy ones, else the attributes it carries. */
export interface IndexShape {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: 'ALL' | readonly string[];
}

/**
 * The steps from the legacy indexes to the current ones. DynamoDB creates or deletes one index per
 * table update, so a deployed table goes 1 → 2 → 3 → current, one deploy each
 * (docs/key-design.md#moving-a-deployed-table); a new table is built with the current indexes at once.
 */
export const migrationSteps = [1, 2, 3] as const;
export type MigrationStep = (typeof migrationSteps)[number];

/** The indexes a table has at a migration step, or, without one, in the current design. */
export function indexesAt(step?: MigrationStep): IndexShape[] {
  const { bySubject, byApp } = eventsTable.indexes;
  const shape = ({ indexName, partitionKey, sortKey }: Omit<IndexShape, 'projection'>, projection: IndexShape['projection']) => ({
    indexName,
    partitionKey,
    sortKey,
    projection,
  });
  const current = (index: IndexDesign) => shape(index, index.include);
  const legacy = (index: Omit<IndexShape, 'projection'>) => shape(index, 'ALL');
  switch (step) {
    case 1:
      return [legacy(legacyIndexes.byGroup), legacy(legacyIndexes.byCommand), current(bySubject)];
    case 2:
      return [legacy(legacyIndexes.byGroup), legacy(legacyIndexes.byCommand), current(bySubject), current(byApp)];
    case 3:
      return [legacy(legacyIndexes.byCommand), current(bySubject), current(byApp)];
    default:
      return [current(bySubject), current(byApp)];
  }
}

/**
 * The event an item of the earlier designs holds, without its index keys, and with its body as
 * received (they kept a large one gzip-compressed: stored-payload.ts).
 */
export function legacyEventOf(item: Record<string, unknown>): StoredEvent {
  const { payloadEncoding, ...event } = item;
  for (const name of keyAttributes) delete event[name];
  return { ...event, payload: legacyPayloadText(event.payload as string, payloadEncoding) } as unknown as StoredEvent;
}
