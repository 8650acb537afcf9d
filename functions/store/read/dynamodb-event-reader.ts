import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { commandDefinition } from '../../commands/registry.ts';
import { subjectsOf } from '../../commands/subjects.ts';
import { isObject } from '../../shared/is-object.ts';
import { eventOf, isEventItem } from '../event-item.ts';
import { actorKeys, digestKeys, markerKey, placeKeys } from '../event-keys.ts';
import { type EventFilter, type EventReader, isEmptyWindow, type StoredEvent } from '../event-store.ts';
import { eventsTable, SINGLE_SORT } from '../events-table.ts';
import { collectPages } from './collect-pages.ts';
import { digestRefs } from './digest-listing.ts';
import { BATCH_GET_KEYS, itemKeyText, itemsByKey } from './items-by-key.ts';
import type { Ref, RefSource } from './listing-ref.ts';
import { limiter, newestFirst } from './newest-first.ts';
import { MAX_PAGE_ITEMS, type SubjectMatch, type SubjectPartition, subjectRefs } from './subject-listing.ts';

/** Queries in flight at once for one listing: enough to hide latency, few enough not to throttle reads. */
const CONCURRENCY = 32;

export interface ListingTuning {
  /** Items per Query page of a subject's partitions. Default: twice the even share of the limit, then fourfold. */
  readonly queryPageSize?: number;
}

/**
 * Whether a listing reads the digests (across the app, or one command's) and so follows the stream by
 * the indexer's lag (docs/key-design.md#lag), rather than a subject's keys, which list an event as
 * soon as its put returns.
 */
export const readsDigests = (filter: Pick<EventFilter, 'groupId' | 'user'>) => filter.groupId === undefined && filter.user === undefined;

/** Whether an event names the account, in any role, by its definition's reading of its body. */
function namesAccount(event: StoredEvent, account: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(event.payload);
  } catch {
    return false;
  }
  const subjects = subjectsOf(commandDefinition(event.command), isObject(body) ? body : {});
  return subjects.actor === account || subjects.placeAccount === account || subjects.accounts.some((named) => named.account === account);
}

interface Plan {
  readonly sources: RefSource[];
  /** What a source could not check, checked on each event read. */
  readonly keep: (event: StoredEvent) => boolean;
}

/**
 * The events table's read side (docs/key-design.md#listings), for the events CLI, the inspector and
 * the state rebuild; kept apart from the writer so the Lambda bundles carry no listing code. Newest
 * first, in exact time order, never a Scan: a group's place keys; an account's place keys (its events
 * and pointers) and actor keys; across the app or for one command, the digests. Each source yields
 * refs newest first; the merge lists each event once and reads those not yet read by key, a page at a
 * time, so memory stays flat however many there are.
 */
export class DynamoDbEventReader implements EventReader {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #tuning: ListingTuning;

  constructor(client: DynamoDBDocumentClient, tableName: string, tuning: ListingTuning = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#tuning = tuning;
  }

  async *pages(filter: EventFilter): AsyncGenerator<StoredEvent[]> {
    if (filter.limit <= 0) return;
    if (isEmptyWindow(filter)) return;
    const slot = limiter(CONCURRENCY);
    const plans = await Promise.all(filter.sdkAppIds.map((sdkAppId) => this.#plan(sdkAppId, filter, slot)));
    const keep = (event: StoredEvent) => plans.every((plan) => plan.keep(event));
    let wanted = filter.limit;
    let last: string | undefined;
    let batch: Ref[] = [];
    const refs = newestFirst(
      plans.flatMap((plan) => plan.sources),
      (ref) => ref.order,
    );
    for await (const ref of refs) {
      // The same event reached twice (its place and a pointer, a digest entry replayed): listed once.
      if (ref.order === last) continue;
      last = ref.order;
      batch.push(ref);
      if (batch.length < Math.min(BATCH_GET_KEYS, wanted)) continue;
      const events = (await this.#resolve(batch)).filter(keep).slice(0, wanted);
      batch = [];
      wanted -= events.length;
      if (events.length > 0) yield events;
      if (wanted <= 0) return;
    }
    const events = (await this.#resolve(batch)).filter(keep).slice(0, wanted);
    if (events.length > 0) yield events;
  }

  list(filter: EventFilter): Promise<StoredEvent[]> {
    return collectPages(this.pages(filter));
  }

  /** The events of refs, in their order; one whose item is gone (TTL) is left out. */
  async #resolve(refs: readonly Ref[]): Promise<StoredEvent[]> {
    const missing = refs.filter((ref) => ref.item === undefined).map((ref) => ref.key);
    const found = missing.length === 0 ? new Map() : await itemsByKey(this.#client, this.#tableName, missing);
    return refs
      .map((ref) => ref.item ?? found.get(itemKeyText(ref.key)))
      .filter((item): item is Record<string, unknown> => item !== undefined && isEventItem(item))
      .map(eventOf);
  }

  /** Which sources a listing reads in one app, and what they leave to check (docs/key-design.md#listings). */
  async #plan(sdkAppId: string, filter: EventFilter, slot: ReturnType<typeof limiter>): Promise<Plan> {
    const { groupId: group, user, command } = filter;
    const sameCommand = (event: StoredEvent) => command === undefined || event.command === command;
    if (group === undefined && user === undefined) {
      // A command's digest key holds its name cut to fit: the event's own name is compared too.
      const sources = digestKeys(sdkAppId, command).map((key) =>
        digestRefs(this.#client, this.#tableName, key, command === undefined, filter, slot)[Symbol.asyncIterator](),
      );
      return { sources, keep: sameCommand };
    }
    const markers = await this.#markers([
      ...(group === undefined ? [] : [markerKey(sdkAppId, 'g', group)]),
      ...(user === undefined ? [] : [markerKey(sdkAppId, 'u', user), markerKey(sdkAppId, 'a', user)]),
    ]);
    const wideGroup = group !== undefined && markers.has(markerKey(sdkAppId, 'g', group));
    const wideActor = user !== undefined && markers.has(markerKey(sdkAppId, 'a', user));
    const partitions: SubjectPartition[] = [];
    let match: SubjectMatch = { command };
    let keep = sameCommand;
    // An account's side is read (its events, pointers and actor keys, filtered on the group) unless it is
    // a wide actor and the group is quiet: then the group's few keys, each event checked for the account.
    if (user !== undefined && (group === undefined || !wideActor || wideGroup)) {
      match = { command, group };
      for (const key of placeKeys(sdkAppId, 'u', user, markers.has(markerKey(sdkAppId, 'u', user)))) partitions.push({ key });
      for (const key of actorKeys(sdkAppId, user, wideActor)) partitions.push({ index: eventsTable.byActor.indexName, key });
    } else {
      for (const key of placeKeys(sdkAppId, 'g', group!, wideGroup)) partitions.push({ key });
      if (user !== undefined) keep = (event) => sameCommand(event) && namesAccount(event, user);
    }
    const firstPage =
      this.#tuning.queryPageSize ??
      (Number.isFinite(filter.limit) ? Math.max(4, Math.min(MAX_PAGE_ITEMS, Math.ceil((2 * filter.limit) / partitions.length))) : MAX_PAGE_ITEMS);
    const sources = partitions.map((partition) =>
      subjectRefs(this.#client, this.#tableName, partition, filter, match, firstPage, slot)[Symbol.asyncIterator](),
    );
    return { sources, keep };
  }

  /** Which of these markers exist: one BatchGetItem. */
  async #markers(keys: readonly string[]): Promise<Set<string>> {
    const found = await itemsByKey(
      this.#client,
      this.#tableName,
      keys.map((partitionKey) => ({ partitionKey, sortKey: SINGLE_SORT })),
    );
    return new Set([...found.values()].map((item) => item[eventsTable.partitionKey] as string));
  }
}
