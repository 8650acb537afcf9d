/**
 * The events table's design (the third; docs/key-design.md), shared by the CDK construct
 * (infra/events-table.ts), the local store (local/embedded-store.ts), the adapter
 * (dynamodb-event-store.ts), the indexer (derived-items.ts) and the listings (read/), so all build
 * and read the same table. Key values are computed in event-keys.ts; items in event-item.ts.
 *
 * - The table's own key is a time-ordered listing: `p` = the event's place (its group, else the
 *   account it happened to) spread over a few keys, `s` = `<13-digit epoch ms>#<eventId>`. Both come
 *   from the body alone, so one conditional put (`attribute_not_exists(p)`) stores a delivery once.
 * - One index, `byActor`: the account that acted, spread wider by each writer that sees it act fast
 *   (actor-heat.ts): safe because an index key never takes part in exactly-once.
 * - Everything else is derived off the callback's path by the indexer stage of the stream consumer
 *   (functions/fan-out/index-records.ts): pointer items for the other accounts and groups an event
 *   names, and digest items (compressed lists of events) for the app-wide and per-command listings.
 * - Kinds of items are told apart by the attributes they have: an event has a body (`b`).
 * - `x` (epoch seconds) is the TTL attribute; the stream carries each new item (NEW_IMAGE).
 */

/** The attributes of the table's items, by what they hold: 1-2 letters, since DynamoDB bills names too. */
export const attributes = {
  /** Partition key: a place, an untimed event's id, a digest, a marker, the migration's progress (event-keys.ts). */
  partition: 'p',
  /** Sort key: `<time13>#<eventId>`, `#` for items with one per partition. */
  sort: 's',
  /** The actor key: the `byActor` index's partition key. */
  actor: 'a',
  command: 'c',
  group: 'g',
  /** Other groups the event names (a string set). */
  otherGroups: 'gx',
  topic: 'tp',
  /** The body field the key time came from, when it was not `EventTime`. */
  timeField: 'tf',
  /** The event's user, when its keys cannot give it back (untimed events, hashed ids). */
  user: 'us',
  /** `u`: an unregistered command's event. */
  kind: 'k',
  receivedAt: 'ra',
  clientIp: 'ip',
  optPlatform: 'op',
  problems: 'pr',
  /** `true`: the canary's own message (functions/canary/canary-marker.ts), which the fan-out does not publish. */
  canary: 'cy',
  /** The body, brotli-compressed (stored-payload.ts): only event items have it. */
  body: 'b',
  expiresAt: 'x',
  /**
   * On an event: `true` when the migration copied it (the new stream's consumers skip it: it was
   * published from the old one). On a marker: when its subject was first written wide (epoch ms).
   */
  mark: 'm',
  /** On a pointer: the event item's partition key. */
  ref: 'r',
  /** On a digest: its entries (digest-codec.ts), their count, and the oldest entry's time. */
  digest: 'd',
  count: 'n',
  oldest: 'lo',
} as const;

const { partition, sort, actor, command, group, otherGroups } = attributes;

export const eventsTable = {
  partitionKey: partition,
  sortKey: sort,
  timeToLiveAttribute: attributes.expiresAt,
  stream: 'NEW_IMAGE',
  /**
   * The actor's index. It carries what listings filter on (`c`, `g`, `gx`) and nothing else, so an
   * entry is ~150 bytes: one write unit. Sparse: only timed events with an actor have an `a`.
   */
  byActor: { indexName: 'byActor', partitionKey: actor, sortKey: sort, include: [command, group, otherGroups] },
} as const;

/**
 * How many partition keys a subject is spread over, by the kind of key (event-keys.ts): its events go
 * to one of them by a slice of their id. A subject is narrow unless its definition (a live room) or
 * the store (a chatbot, `busyAccounts`, a fast actor) makes it wide; a wide one's listing reads all
 * of its wide keys. Why these numbers: docs/key-design.md#spread.
 */
export const layouts = {
  /** A group as the place: Tencent caps a group at 40 messages a second by default; 8 keys take 800/s at a tenth of each. */
  g: { narrow: 8, wide: 128 },
  /** An account as the place. */
  u: { narrow: 4, wide: 64 },
  /** No group and no account (an alert). */
  n: { narrow: 4, wide: 4 },
  /** An actor (`byActor`): its wide keys are 4…67, apart from the narrow ones, which keep only its first burst. */
  a: { narrow: 4, wide: 64 },
} as const;

/** The digest keys of an app, and of each command: 16 take the whole mix at under 40 writes a second each (docs/key-design.md#under-load). */
export const DIGEST_SPREAD = 16;
/** Entries in one digest item: ~3.6 KB, at most 4 write units. */
export const MAX_DIGEST_ENTRIES = 150;
/** A digest item's entries lie within one minute: how far a listing reads past its `until`. */
export const DIGEST_WINDOW_MS = 60_000;

/** The sort key of an item alone in its partition: an untimed event, a marker. */
export const SINGLE_SORT = '#';

/**
 * The stream records the table's consumers take, as an event source mapping's filter (Lambda's
 * filter syntax, docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html): new items that are
 * events (only events have a body) and not the migration's copies (an event's `m`). Pointers, digests
 * and markers, which the fan-out's indexer writes into this same table, then cost no invocation.
 * event-image.ts `isNewEventImage` checks the same in code, since a filter is configuration.
 */
export const newEventRecordPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { [attributes.body]: { B: [{ exists: true }] }, [attributes.mark]: { BOOL: [{ exists: false }] } } },
} as const;
