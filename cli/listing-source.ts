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
      : 'Events stored before the third key design are in the table of the earlier design until copied: npm run events -- --stack NAME lists them too, npm run events -- --migrate --stack NAME copies them (docs/key-design.md#moving-a-deployed-table).';
  return `No events ${wanted === '' ? 'stored yet' : wanted} in ${describeSource(source)}. ${hint}`;
}
