import { createHash } from 'node:crypto';
import { commandDefinition } from '../commands/registry.ts';
import { subjectsOf } from '../commands/subjects.ts';
import { isObject } from '../shared/is-object.ts';
import type { ActorHeat } from './actor-heat.ts';
import { type DigestEntry, encodeDigest, newestEntriesFirst } from './digest-codec.ts';
import { eventOf, keyOfItem } from './event-item.ts';
import {
  digestKey,
  isBusyAccount,
  isWideShard,
  type KeyRules,
  type PlaceKind,
  parseSubjectKey,
  placeKey,
  sortKeyOf,
  subjectPart,
  time13,
  timeOfKey,
} from './event-keys.ts';
import { attributes as at, DIGEST_SPREAD, DIGEST_WINDOW_MS, MAX_DIGEST_ENTRIES, SINGLE_SORT } from './events-table.ts';

type Item = Record<string, unknown>;

/** A marker to make sure of before the wide pointers that need it are written (subject-markers.ts). */
export interface MarkerNeed {
  readonly subjectKey: string;
  readonly expiresAt: number;
  readonly now: number;
}

/** What the indexer writes for a batch of event items (docs/key-design.md#the-indexer). */
export interface DerivedItems {
  readonly markers: readonly MarkerNeed[];
  readonly pointers: readonly Item[];
  readonly digests: readonly Item[];
  /** Images that could not be read as events: the publishing stage fails their records on their own. */
  readonly unreadable: number;
}

export interface DerivedItemsOptions {
  readonly rules?: KeyRules;
  /** Spreads an account named fast wide: a writer that sees all of the traffic's threshold (actor-heat.ts). */
  readonly heat?: ActorHeat;
}

/** Who an event names, by its definition's reading of its body. */
function namedBy(command: string, payload: string) {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    body = undefined;
  }
  return subjectsOf(commandDefinition(command), isObject(body) ? body : {});
}

/** The subject an account key part covers in the place namespace: an actor `a#X` is the account `u#X`. */
const asAccountPart = (actorPart: string) => `u${actorPart.slice(1)}`;

/**
 * The derived items of a batch of event items, in stream order (the table's new images,
 * unmarshalled): the indexer stage of the stream consumer writes them (functions/fan-out/index-records.ts).
 *
 * - A pointer for every group and account an event names that its own keys do not cover: a timed
 *   event is listed under its place and its actor already; an untimed one (keyed by its id) under
 *   neither. A pointer goes to that subject's place keys (a slice of the id picks the key), at the
 *   event's sort key (an untimed event's: its first arrival), and names the event's partition key.
 * - Digest entries for every event, in the app's digests and in its command's: split by minute, at
 *   most 150 an item, each item at a key picked by a hash of `chunk` (the batch's identity: the same
 *   records give the same items; a batch split differently gives new ones, whose entries listings drop
 *   as duplicates).
 *
 * Pointers and digests are keyed so that doing a batch again writes the same items: idempotent.
 */
export function derivedItems(images: readonly Item[], chunk: string, options: DerivedItemsOptions = {}): DerivedItems {
  const markers: MarkerNeed[] = [];
  const pointers = new Map<string, Item>();
  const entries = new Map<string, { sdkAppId: string; command?: string; entries: DigestEntry[]; expiresAt: number[] }>();
  let unreadable = 0;
  const addEntry = (sdkAppId: string, command: string | undefined, entry: DigestEntry, expiresAt: number) => {
    const list = `${sdkAppId}\n${command ?? ''}`;
    let found = entries.get(list);
    if (found === undefined) {
      found = { sdkAppId, ...(command === undefined ? {} : { command }), entries: [], expiresAt: [] };
      entries.set(list, found);
    }
    found.entries.push(entry);
    found.expiresAt.push(expiresAt);
  };

  for (const image of images) {
    let event: ReturnType<typeof eventOf>;
    try {
      event = eventOf(image);
    } catch {
      unreadable += 1;
      continue;
    }
    const key = keyOfItem(image);
    const timed = key.sortKey !== SINGLE_SORT;
    const time = timed ? timeOfKey(key.sortKey) : event.receivedAt;
    const order = timed ? key.sortKey : sortKeyOf(time, event.eventId);
    const subjects = namedBy(event.command, event.payload);
    const covered = new Set<string>();
    if (timed) {
      covered.add(parseSubjectKey(key.partitionKey).part);
      if (key.actorKey !== undefined) covered.add(asAccountPart(parseSubjectKey(key.actorKey).part));
    }
    const named: { kind: PlaceKind; id: string; wide: boolean }[] = [
      ...subjects.groupIds.map((id) => ({ kind: 'g' as const, id, wide: id === subjects.groupId && subjects.busy })),
      ...subjects.accounts.map(({ account }) => ({
        kind: 'u' as const,
        id: account,
        wide: isBusyAccount(account, options.rules) || (options.heat?.observe(account, event.receivedAt) ?? false),
      })),
    ];
    for (const subject of named) {
      const part = subjectPart(subject.kind, subject.id);
      if (covered.has(part)) continue;
      covered.add(part);
      const pointerKey = placeKey(event.sdkAppId, subject, event.eventId, 2);
      if (isWideShard(pointerKey)) markers.push({ subjectKey: pointerKey, expiresAt: event.expiresAt, now: event.receivedAt });
      pointers.set(`${pointerKey}\n${order}`, {
        [at.partition]: pointerKey,
        [at.sort]: order,
        [at.ref]: key.partitionKey,
        [at.command]: event.command,
        ...(image[at.group] === undefined ? {} : { [at.group]: image[at.group] }),
        ...(image[at.otherGroups] === undefined ? {} : { [at.otherGroups]: image[at.otherGroups] }),
        [at.expiresAt]: event.expiresAt,
      });
    }
    const entry: DigestEntry = { time, eventId: event.eventId, place: key.partitionKey.slice(event.sdkAppId.length + 1), command: event.command };
    addEntry(event.sdkAppId, undefined, entry, event.expiresAt);
    addEntry(event.sdkAppId, event.command, entry, event.expiresAt);
  }

  const digests: Item[] = [];
  for (const { sdkAppId, command, entries: list, expiresAt } of entries.values()) {
    const ttl = Math.max(...expiresAt);
    const byMinute = new Map<number, DigestEntry[]>();
    for (const entry of list) {
      const minute = Math.floor(entry.time / DIGEST_WINDOW_MS);
      const bucket = byMinute.get(minute);
      if (bucket === undefined) byMinute.set(minute, [entry]);
      else bucket.push(entry);
    }
    for (const [minute, bucket] of byMinute) {
      newestEntriesFirst(bucket);
      for (let start = 0; start < bucket.length; start += MAX_DIGEST_ENTRIES) {
        const part = bucket.slice(start, start + MAX_DIGEST_ENTRIES);
        const chunkId = createHash('sha256')
          .update(`${chunk}\n${sdkAppId}\n${command ?? ''}\n${minute}\n${start}`)
          .digest('hex')
          .slice(0, 16);
        const spreadKey = Number.parseInt(chunkId.slice(0, 8), 16) % DIGEST_SPREAD;
        digests.push({
          [at.partition]: digestKey(sdkAppId, command, spreadKey),
          [at.sort]: `${time13(part[0]!.time)}#${chunkId}`,
          [at.digest]: encodeDigest(part, command === undefined),
          [at.count]: part.length,
          [at.oldest]: part.at(-1)!.time,
          [at.expiresAt]: ttl,
        });
      }
    }
  }
  return { markers, pointers: [...pointers.values()], digests, unreadable };
}
