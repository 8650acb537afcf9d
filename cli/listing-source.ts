import type { EventFilter } from '../functions/store/event-store.ts';

/** Where a listing was read, in words: the CLI says it with every listing, and with an empty one why. */
export type ListingSource =
  | { readonly type: 'local'; readonly dataDir: string }
  | { readonly type: 'table'; readonly tableName: string; readonly region?: string };

export function describeSource(source: ListingSource): string {
  if (source.type === 'local') return `the local store at ${source.dataDir.replace(/\/?$/, '/')}`;
  return `table ${source.tableName} in ${source.region ?? "the AWS SDK's default region"}`;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** What a filter asks for, for a message: `for group @g, command C since 2026-…`, or '' for everything. */
export function describeFilter(filter: Omit<EventFilter, 'limit' | 'sdkAppIds'> & { readonly app?: string }): string {
  const subjects = [
    filter.groupId === undefined ? undefined : `group ${filter.groupId}`,
    filter.command === undefined ? undefined : `command ${filter.command}`,
    filter.user === undefined ? undefined : `user ${filter.user}`,
    filter.app === undefined ? undefined : `app ${filter.app}`,
  ].filter((part) => part !== undefined);
  return [
    subjects.length === 0 ? undefined : `for ${subjects.join(', ')}`,
    filter.since === undefined ? undefined : `since ${iso(filter.since)}`,
    filter.until === undefined ? undefined : `before ${iso(filter.until)}`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

/** `No events for group X in the local store at .data/.`, and what might explain it. */
export function emptyListingMessage(filter: Parameters<typeof describeFilter>[0], source: ListingSource): string {
  const wanted = describeFilter(filter);
  const hint =
    source.type === 'local'
      ? 'Events arrive while `npm start` runs; DATA_DIR picks another store.'
      : 'Events stored before the key design changed are listed once backfilled: npx tencent-im events --backfill --table <name>.';
  return `No events ${wanted === '' ? 'stored yet' : wanted} in ${describeSource(source)}. ${hint}`;
}

/**
 * A group's events are listed under the group, not under each sender (one index entry fewer per
 * message: docs/key-design.md#trade-offs), so `--user` alone lists a user's events outside groups.
 */
export const userScopeNote = (filter: { readonly user?: string; readonly groupId?: string }) =>
  filter.user !== undefined && filter.groupId === undefined ? ` Listed by --user: ${filter.user}'s events outside groups; in a group, add --group ID.` : '';
