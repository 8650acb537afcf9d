import { type EventFilter, isEmptyWindow } from '../event-store.ts';
import { appKeys, commandPart, isoTime, subjectKeys } from './legacy-keys.ts';
import { eventsTable } from './legacy-table.ts';

/**
 * Which key ranges of which index hold a listing's events: one per spread partition key (and, across
 * the app, one per command found in each), each read newest first and merged by time.
 */
export interface KeyRange {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly partition: string;
  readonly sortKey: string;
  /** Sort key bounds, both included. */
  readonly lower: string;
  readonly upper: string;
  /** Equalities on projected attributes the index filters on: what the partition holds besides the wanted events. */
  readonly match: Readonly<Record<string, string>>;
  /** What the sort key holds before its time key (`<command>#` in byApp): cut off to merge by time. */
  readonly prefix: string;
}

/** The command parts (as event-keys.ts writes them) present in one of byApp's partitions. */
export type DiscoverCommands = (partition: string) => Promise<readonly string[]>;

/** `~` sorts after every character of an ISO time and of `#<eventId>`: the end of a time range. */
const END = '~';

export async function rangesOf(filter: EventFilter, discover: DiscoverCommands): Promise<KeyRange[]> {
  const { bySubject, byApp } = eventsTable.indexes;
  if (isEmptyWindow(filter)) return [];
  const from = isoTime(filter.since ?? 0);
  const to = `${isoTime((filter.until ?? Number.POSITIVE_INFINITY) - 1)}${END}`;
  const defined = (fields: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));

  const subject =
    filter.groupId !== undefined
      ? { type: 'group' as const, id: filter.groupId, match: defined({ command: filter.command, user: filter.user }) }
      : filter.user !== undefined
        ? { type: 'user' as const, id: filter.user, match: defined({ command: filter.command }) }
        : undefined;
  if (subject !== undefined) {
    return filter.sdkAppIds.flatMap((sdkAppId) =>
      subjectKeys(sdkAppId, subject).map((partition) => ({
        indexName: bySubject.indexName,
        partitionKey: bySubject.partitionKey,
        partition,
        sortKey: bySubject.sortKey,
        lower: from,
        upper: to,
        match: subject.match,
        prefix: '',
      })),
    );
  }

  const appRange = (partition: string, command: string, match: Record<string, string>): KeyRange => ({
    indexName: byApp.indexName,
    partitionKey: byApp.partitionKey,
    partition,
    sortKey: byApp.sortKey,
    lower: `${command}#${from}`,
    upper: `${command}#${to}`,
    match,
    prefix: `${command}#`,
  });
  const partitions = filter.sdkAppIds.flatMap(appKeys);
  if (filter.command !== undefined) {
    const command = filter.command;
    // The exact name is matched too: a name cut to fit a key could share its part with another.
    return partitions.map((partition) => appRange(partition, commandPart(command), { command }));
  }
  const found = await Promise.all(partitions.map(async (partition) => (await discover(partition)).map((command) => appRange(partition, command, {}))));
  return found.flat();
}

/** After the last key of `command`'s range in a byApp partition: where the next command's begins. */
export const afterCommand = (command: string) => `${command}#${END}`;
