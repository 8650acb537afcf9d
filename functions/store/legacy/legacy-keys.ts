import { createHash } from 'node:crypto';
import { LATEST_TIME_MS } from '../../shared/latest-time.ts';
import type { StoredEvent } from '../event-store.ts';
import { keyPart, MAX_KEY_PART_LENGTH } from '../key-part.ts';
import { eventsTable } from './legacy-table.ts';

/**
 * The key values of one event's item, from the design in events-table.ts. Only the store builds
 * keys: every other module hands it a StoredEvent or a filter.
 */

/**
 * When an event happened, for ordering: Tencent's `EventTime` when it sends a usable one, else when
 * it arrived. A garbled `EventTime` (beyond year 9999, negative) would make toISOString throw or sort
 * out of place, so it is left to the arrival time.
 */
export function timeOf(event: Pick<StoredEvent, 'eventTime' | 'receivedAt'>): number {
  const { eventTime } = event;
  return eventTime !== undefined && Number.isFinite(eventTime) && eventTime >= 0 && eventTime <= LATEST_TIME_MS ? eventTime : event.receivedAt;
}

export const isoTime = (epochMs: number) => new Date(Math.min(Math.max(epochMs, 0), LATEST_TIME_MS)).toISOString();

/** `<ISO time>#<eventId>`: time order, with the id keeping equal times apart. */
export const timeKey = (epochMs: number, eventId: string) => `${isoTime(epochMs)}#${eventId}`;

/**
 * A command as a key part: `#` separates key parts and `~` ends a command's range (event-ranges.ts),
 * so both are escaped, as is the escape itself. Cut to MAX_KEY_PART_LENGTH so the sort key stays within
 * DynamoDB's 1 KB; listings compare the `command` attribute itself, so a cut name still lists exactly.
 */
export const commandPart = (command: string) => command.replaceAll('%', '%25').replaceAll('#', '%23').replaceAll('~', '%7E').slice(0, MAX_KEY_PART_LENGTH);

/**
 * Which of `shards` keys an event goes to: a hash of its id, so the spread is even whatever the
 * traffic, and a repeated delivery (the same id) lands on the same key. The event id is already a
 * SHA-256 prefix (event-id.ts); `salt` picks an independent part of it for each index.
 */
export function shardOf(eventId: string, salt: number, shards: number): number {
  const hex = /^[0-9a-f]{16,}$/.test(eventId) ? eventId : createHash('sha256').update(eventId).digest('hex');
  return Number.parseInt(hex.slice(salt * 8, salt * 8 + 8), 16) % shards;
}

/** The subject an event is listed under: its group, else its user (the account it is by or about). */
export function subjectOf(event: Pick<StoredEvent, 'groupId' | 'user'>): { readonly type: 'group' | 'user'; readonly id: string } | undefined {
  if (event.groupId !== undefined && event.groupId !== '') return { type: 'group', id: event.groupId };
  if (event.user !== undefined && event.user !== '') return { type: 'user', id: event.user };
  return undefined;
}

const { bySubject, byApp } = eventsTable.indexes;

/**
 * One of a subject's spread partition keys; the shard comes last, so no id can imitate another's key.
 * An id too long for a key (key-part.ts) is there as its hash, marked by the type (`gh`, `uh`), which
 * no id reaches: the item keeps the whole id, and the same id always finds the same keys.
 */
export function subjectKey(sdkAppId: string, subject: { type: 'group' | 'user'; id: string }, shard: number): string {
  const { text, hashed } = keyPart(subject.id);
  return `${sdkAppId}#${subject.type === 'group' ? 'g' : 'u'}${hashed ? 'h' : ''}#${text}#${shard}`;
}

export const appKey = (sdkAppId: string, shard: number) => `${sdkAppId}#${shard}`;

export const commandTimeKey = (command: string, key: string) => `${commandPart(command)}#${key}`;

/** Every partition key a subject is spread over, for a listing to read. */
export const subjectKeys = (sdkAppId: string, subject: { type: 'group' | 'user'; id: string }) =>
  Array.from({ length: bySubject.shards }, (_, shard) => subjectKey(sdkAppId, subject, shard));

/** Every partition key an app is spread over. */
export const appKeys = (sdkAppId: string) => Array.from({ length: byApp.shards }, (_, shard) => appKey(sdkAppId, shard));

/** The index attributes an item carries: what a put writes, and what a backfill adds to old items. */
export function indexAttributes(event: StoredEvent): Record<string, string> {
  const time = timeKey(timeOf(event), event.eventId);
  const subject = subjectOf(event);
  return {
    ...(subject === undefined ? {} : { [bySubject.partitionKey]: subjectKey(event.sdkAppId, subject, shardOf(event.eventId, 0, bySubject.shards)) }),
    [bySubject.sortKey]: time,
    [byApp.partitionKey]: appKey(event.sdkAppId, shardOf(event.eventId, 1, byApp.shards)),
    [byApp.sortKey]: commandTimeKey(event.command, time),
  };
}
