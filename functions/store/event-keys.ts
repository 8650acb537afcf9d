import { createHash } from 'node:crypto';
import type { EventKey, StoredEvent } from './event-store.ts';
import { DIGEST_SPREAD, layouts, SINGLE_SORT } from './events-table.ts';
import { keyPart, MAX_KEY_PART_LENGTH } from './key-part.ts';

/**
 * The key values of the events table (events-table.ts; docs/key-design.md#keys). Only the store
 * builds keys: every other module hands it a StoredEvent or a filter. Keys are parsed from both ends
 * (the app before the first `#`, the shard after the last), because ids may hold `#` (`@RBT#…`); the
 * kind comes before the id, so no id can imitate another subject's key.
 */

/** The latest time a key holds: 13 digits of epoch ms (the year 2286), so keys sort as text. */
export const MAX_KEY_TIME = 9_999_999_999_999;

/** Epoch ms as 13 digits, sortable as text. */
export const time13 = (epochMs: number) => String(Math.min(Math.max(Math.trunc(epochMs), 0), MAX_KEY_TIME)).padStart(13, '0');

/** The time back from a key's 13 digits. */
export const timeOfKey = (key: string) => Number(key.slice(0, 13));

const usable = (time: number | undefined): time is number => time !== undefined && Number.isInteger(time) && time >= 0 && time <= MAX_KEY_TIME;

/**
 * When the event happened, for its key: its `EventTime`, else the time another of its definition's
 * time fields gave (`bodyTime`, a message's `MsgTime`), if a key can hold it. Undefined: the event is
 * untimed, and keyed by its id alone, so a retry arriving later finds the same key.
 */
export function keyTimeOf(event: Pick<StoredEvent, 'eventTime' | 'bodyTime'>): number | undefined {
  if (usable(event.eventTime)) return event.eventTime;
  return usable(event.bodyTime) ? event.bodyTime : undefined;
}

/**
 * Which of `shards` keys an event goes to: a slice of its id, so the spread is even whatever the
 * traffic, and every delivery of it (the same id) lands on the same key. The id is already a SHA-256
 * prefix (event-id.ts); `slice` picks an independent part of it: 0 for places, 1 for actors, 2 for
 * pointers (docs/key-design.md#keys, AWS's "calculated suffixes").
 */
export function shardOf(eventId: string, slice: 0 | 1 | 2, shards: number): number {
  const hex = /^[0-9a-f]{24,}$/.test(eventId) ? eventId : createHash('sha256').update(eventId).digest('hex');
  return Number.parseInt(hex.slice(slice * 8, slice * 8 + 8), 16) % shards;
}

/** The kinds of subject a key names: a group, an account, no subject (`n`), an actor. */
export type SubjectKind = 'g' | 'u' | 'n' | 'a';
export type PlaceKind = 'g' | 'u' | 'n';

/**
 * A subject as a key part: `<kind>#<id>`. An id too long for a key (key-part.ts) is there as its
 * hash, marked by an `h` after the kind (`gh`, `uh`, `ah`), which no id reaches: the item keeps the
 * whole id elsewhere, and the same id always finds the same keys.
 */
export function subjectPart(kind: SubjectKind, id: string): string {
  const { text, hashed } = keyPart(id);
  return `${kind}${hashed ? 'h' : ''}#${text}`;
}

/** The id a key part names, when the key holds it whole (not hashed). */
function idOfPart(part: string, kind: SubjectKind): string | undefined {
  return part.startsWith(`${kind}#`) ? part.slice(kind.length + 1) : undefined;
}

/** The place of an event: its group, else the account it happened to, else none. */
export interface Place {
  readonly kind: PlaceKind;
  readonly id: string;
  /** Spread over the wide layout (events-table.ts `layouts`). */
  readonly wide: boolean;
}

/** What decides that an account is busy, besides its definition: the `busyAccounts` setting. */
export interface KeyRules {
  /** Accounts spread wide wherever they are a place (settings.ts `busyAccounts`). */
  readonly busyAccounts?: ReadonlySet<string>;
}

/** Tencent's chatbot accounts (`@RBT#…`, docs/protocol.md#bot) answer many users at once: always wide. */
const CHATBOT_PREFIX = '@RBT#';

export const isBusyAccount = (account: string, rules: KeyRules = {}) => account.startsWith(CHATBOT_PREFIX) || (rules.busyAccounts?.has(account) ?? false);

/** An event's place: its group (wide when its definition's busy rule matched), else its place account, else none. */
export function placeOf(event: Pick<StoredEvent, 'groupId' | 'placeAccount' | 'busy'>, rules: KeyRules = {}): Place {
  if (event.groupId !== undefined && event.groupId !== '') return { kind: 'g', id: event.groupId, wide: event.busy === true };
  if (event.placeAccount !== undefined && event.placeAccount !== '')
    return { kind: 'u', id: event.placeAccount, wide: isBusyAccount(event.placeAccount, rules) };
  return { kind: 'n', id: '-', wide: false };
}

const shardsOf = (kind: SubjectKind, wide: boolean) => (wide ? layouts[kind].wide : layouts[kind].narrow);

/** `<app>#<kind>#<id>#<shard>`: one of a place's keys. */
export const subjectShardKey = (sdkAppId: string, kind: SubjectKind, id: string, shard: number) => `${sdkAppId}#${subjectPart(kind, id)}#${shard}`;

/** The place key an event (slice 0) or a pointer (slice 2) goes to. */
export const placeKey = (sdkAppId: string, place: Place, eventId: string, slice: 0 | 2 = 0) =>
  subjectShardKey(sdkAppId, place.kind, place.id, shardOf(eventId, slice, shardsOf(place.kind, place.wide)));

/** Every key of a place, for a listing: the wide layout's include the narrow ones. */
export const placeKeys = (sdkAppId: string, kind: PlaceKind, id: string, wide: boolean) =>
  Array.from({ length: shardsOf(kind, wide) }, (_, shard) => subjectShardKey(sdkAppId, kind, id, shard));

/** The actor key: narrow `0…3`, wide `4…67`, apart, so the narrow keys keep only an actor's first burst. */
export const actorKey = (sdkAppId: string, account: string, eventId: string, wide: boolean) =>
  subjectShardKey(sdkAppId, 'a', account, wide ? layouts.a.narrow + shardOf(eventId, 1, layouts.a.wide) : shardOf(eventId, 1, layouts.a.narrow));

/** Every key of an actor: the narrow ones, and the wide ones too once it has been wide. */
export const actorKeys = (sdkAppId: string, account: string, wide: boolean) =>
  Array.from({ length: layouts.a.narrow + (wide ? layouts.a.wide : 0) }, (_, shard) => subjectShardKey(sdkAppId, 'a', account, shard));

/** Whether a key of a place or an actor is one of its wide keys only: a listing must know to read those. */
export function isWideShard(key: string): boolean {
  const { kind, shard } = parseSubjectKey(key);
  return shard >= layouts[kind].narrow;
}

/** An untimed event's partition key: its id, so every delivery of it has the same key whenever it arrives. */
export const untimedKey = (sdkAppId: string, eventId: string) => `${sdkAppId}#x#${eventId}`;

/** A timed event's sort key (and its pointers'): time order, the id keeping equal times apart. */
export const sortKeyOf = (epochMs: number, eventId: string) => `${time13(epochMs)}#${eventId}`;

/** A subject's marker: present once its events may be on its wide keys. */
export const markerKey = (sdkAppId: string, kind: 'g' | 'u' | 'a', id: string) => `${sdkAppId}#m#${subjectPart(kind, id)}`;

/**
 * A command as a key part: `#` separates key parts and `~` ends ranges, so both are escaped, as is the
 * escape itself. Cut to MAX_KEY_PART_LENGTH: listings compare the `c` attribute itself, so a cut name
 * still lists exactly.
 */
export const commandPart = (command: string) => command.replaceAll('%', '%25').replaceAll('#', '%23').replaceAll('~', '%7E').slice(0, MAX_KEY_PART_LENGTH);

/** One of the app's digest keys, or of one command's. */
export const digestKey = (sdkAppId: string, command: string | undefined, k: number) =>
  command === undefined ? `${sdkAppId}#d#${k}` : `${sdkAppId}#d#${commandPart(command)}#${k}`;

export const digestKeys = (sdkAppId: string, command?: string) => Array.from({ length: DIGEST_SPREAD }, (_, k) => digestKey(sdkAppId, command, k));

/** The key an event is written at, by the body alone (its id, its place, its declared spread and time). */
export function eventKeyOf(
  event: Pick<StoredEvent, 'eventId' | 'sdkAppId' | 'groupId' | 'placeAccount' | 'busy' | 'eventTime' | 'bodyTime'>,
  rules: KeyRules = {},
): EventKey {
  const time = keyTimeOf(event);
  if (time === undefined) return { partitionKey: untimedKey(event.sdkAppId, event.eventId), sortKey: SINGLE_SORT };
  return { partitionKey: placeKey(event.sdkAppId, placeOf(event, rules), event.eventId), sortKey: sortKeyOf(time, event.eventId) };
}

/** The parts of a subject key (`<app>#<kind>[h]#<id>#<shard>`), read from both ends. */
export function parseSubjectKey(key: string): { sdkAppId: string; kind: SubjectKind; hashed: boolean; part: string; shard: number } {
  const app = key.indexOf('#');
  const last = key.lastIndexOf('#');
  const part = key.slice(app + 1, last);
  const kindText = part.slice(0, part.indexOf('#'));
  return { sdkAppId: key.slice(0, app), kind: kindText[0] as SubjectKind, hashed: kindText.length > 1, part, shard: Number(key.slice(last + 1)) };
}

/** Whether a partition key is an untimed event's. */
export const isUntimedKey = (key: string) => {
  const app = key.indexOf('#');
  return key.startsWith('x#', app + 1);
};

/**
 * Where the migration keeps its progress (docs/key-design.md#moving-a-deployed-table): one partition
 * for every copy into this table, one item per source table. Every other key starts with an SDKAppID
 * (digits) and a `#`, so no event, pointer, digest or marker can land here; one Query finds every
 * copy into a table, so a listing of the new table needs no name of the old one.
 */
export const MIGRATION_PARTITION = 'migration';

/** The progress item of the copy from `sourceTable`. */
export const migrationProgressKey = (sourceTable: string): EventKey => ({ partitionKey: MIGRATION_PARTITION, sortKey: sourceTable });

/** The id of an event from its key: the tail of the sort key, or of an untimed event's partition key. */
export const eventIdOfKey = (key: EventKey) =>
  key.sortKey === SINGLE_SORT ? key.partitionKey.slice(key.partitionKey.lastIndexOf('#') + 1) : key.sortKey.slice(14);

/** The account a place or actor key names whole, if it does. */
export function accountOfKey(key: string, kind: 'u' | 'a'): string | undefined {
  const parsed = parseSubjectKey(key);
  return parsed.kind === kind ? idOfPart(parsed.part, kind) : undefined;
}
