import { accountOfKey, eventIdOfKey, keyTimeOf, timeOfKey } from './event-keys.ts';
import type { StoredEvent, WrittenKey } from './event-store.ts';
import { attributes as at, SINGLE_SORT } from './events-table.ts';
import { legacyEventOf } from './legacy/legacy-table.ts';
import { compressBody, decompressBody } from './stored-payload.ts';

type Item = Record<string, unknown>;

/** The account an event item's keys name whole: its actor's, else its place account's. */
const userOfKeys = (partitionKey: string, actorKey: string | undefined) =>
  actorKey === undefined ? accountOfKey(partitionKey, 'u') : accountOfKey(actorKey, 'a');

/** `fields` without its undefined values: a loop, not entries filtered, as every item written and read passes here. */
function defined(fields: Item): Item {
  const kept: Item = {};
  for (const key in fields) if (fields[key] !== undefined) kept[key] = fields[key];
  return kept;
}

/**
 * The item an event is stored as (docs/key-design.md#item): its keys, what listings filter on, what
 * the receiver knew of it, and the body, compressed. What the keys already say (the id, the time, the
 * app, mostly the user) is not written again, and what the definition reads of the body (accounts by
 * role) is not written at all: eventOf gives the first back, the definition the second.
 */
export function itemOf(event: StoredEvent, key: WrittenKey, options: { readonly copied?: boolean } = {}): Item {
  const time = keyTimeOf(event);
  const otherGroups = (event.groupIds ?? []).filter((group) => group !== event.groupId);
  const user = event.user === '' ? undefined : event.user;
  return defined({
    [at.partition]: key.partitionKey,
    [at.sort]: key.sortKey,
    [at.actor]: key.actorKey,
    [at.command]: event.command,
    [at.group]: event.groupId === '' ? undefined : event.groupId,
    [at.otherGroups]: otherGroups.length === 0 ? undefined : new Set(otherGroups),
    [at.topic]: event.topicId === '' ? undefined : event.topicId,
    // The key time is EventTime's unless it came from another field (a message's MsgTime).
    [at.timeField]: time !== undefined && time !== event.eventTime ? (event.timeField ?? 'bodyTime') : undefined,
    [at.user]: user !== undefined && user !== userOfKeys(key.partitionKey, key.actorKey) ? user : undefined,
    [at.kind]: event.kind === 'unregistered' ? 'u' : undefined,
    [at.receivedAt]: event.receivedAt,
    [at.clientIp]: event.clientIp,
    [at.optPlatform]: event.optPlatform,
    [at.problems]: event.problems,
    [at.canary]: event.canary,
    [at.body]: compressBody(event.payload),
    [at.expiresAt]: event.expiresAt,
    [at.mark]: options.copied === true ? true : undefined,
  });
}

/** Whether an item (or a stream image, unmarshalled) is an event: only events have a body. Pointers, digests and markers have none. */
export const isEventItem = (item: Item) => item[at.body] !== undefined;

/** Whether an event item was written by the migration's copy (docs/key-design.md#moving-a-deployed-table). */
export const isCopiedItem = (item: Item) => item[at.mark] === true;

/** The key of an event item. */
export const keyOfItem = (item: Item): WrittenKey => ({
  partitionKey: item[at.partition] as string,
  sortKey: item[at.sort] as string,
  ...(typeof item[at.actor] === 'string' ? { actorKey: item[at.actor] as string } : {}),
});

const stringsOf = (value: unknown): string[] =>
  value instanceof Set || Array.isArray(value) ? [...value].filter((v): v is string => typeof v === 'string') : [];

/**
 * The event an item holds, as it was put: for listings, and for the stream's consumers (through
 * event-image.ts). What the definition reads of the body (accounts by role, place, actor) is not
 * stored: read it again with subjectsOf. Items of the earlier designs (a `payload` instead of `b`)
 * are read too, for the migration.
 */
export function eventOf(item: Item): StoredEvent {
  if (!isEventItem(item)) return legacyEventOf(item);
  const key = keyOfItem(item);
  const partitionKey = key.partitionKey;
  const timed = key.sortKey !== SINGLE_SORT;
  const time = timed ? timeOfKey(key.sortKey) : undefined;
  const timeField = item[at.timeField] as string | undefined;
  const groupId = item[at.group] as string | undefined;
  const otherGroups = stringsOf(item[at.otherGroups]);
  return defined({
    eventId: eventIdOfKey(key),
    command: item[at.command],
    kind: item[at.kind] === 'u' ? 'unregistered' : 'after',
    sdkAppId: partitionKey.slice(0, partitionKey.indexOf('#')),
    groupId,
    topicId: item[at.topic],
    user: item[at.user] ?? userOfKeys(partitionKey, key.actorKey),
    groupIds: groupId === undefined && otherGroups.length === 0 ? undefined : [...(groupId === undefined ? [] : [groupId]), ...otherGroups],
    eventTime: timeField === undefined ? time : undefined,
    bodyTime: timeField === undefined ? undefined : time,
    timeField: timed ? timeField : undefined,
    receivedAt: item[at.receivedAt],
    clientIp: item[at.clientIp],
    optPlatform: item[at.optPlatform],
    payload: decompressBody(item[at.body] as Uint8Array | string),
    valid: item[at.problems] === undefined,
    problems: item[at.problems],
    canary: item[at.canary] === true ? true : undefined,
    expiresAt: item[at.expiresAt],
  }) as unknown as StoredEvent;
}
