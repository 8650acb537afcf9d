import * as v from 'valibot';
import { eventKinds } from '../commands/definition.ts';

/** The fields of a stored event, declared once: its type and its check are both made from them. */
const storedEventEntries = {
  eventId: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  command: v.pipe(v.string(), v.nonEmpty()),
  kind: v.picklist(eventKinds),
  sdkAppId: v.pipe(v.string(), v.nonEmpty()),
  /**
   * What the event is about, by its command's definition (functions/commands/subjects.ts), worked out
   * once when it arrived and carried: ids whole however long (only keys hash a long one: event-keys.ts).
   */
  groupId: v.optional(v.string()),
  topicId: v.optional(v.string()),
  /** The account the event is by, else the one it happened to (its `actor`, else its `placeAccount`): what the record and the bus show. */
  user: v.optional(v.string()),
  /**
   * Every account the body names, with its role (`sender`, `receiver`, `member`…), each once per role.
   * Absent from events read back from the table, which keeps the body, not its reading.
   */
  accounts: v.optional(v.pipe(v.array(v.object({ role: v.string(), account: v.string() })), v.readonly())),
  /** Every group the body names, `groupId` first. */
  groupIds: v.optional(v.pipe(v.array(v.string()), v.readonly())),
  /** The account that acted (its definition's `actor` role). */
  actor: v.optional(v.string()),
  /** The account that is the event's place when it has no group (a one-to-one message's receiver). */
  placeAccount: v.optional(v.string()),
  /** The event's group is busy (a live room): the store spreads it wide. */
  busy: v.optional(v.boolean()),
  /** Tencent's `EventTime`, in epoch milliseconds, when the body carries a usable one. */
  eventTime: v.optional(v.number()),
  /** When the event happened, in epoch ms, by another time field of its definition (`timeField`) when `EventTime` gave none. */
  bodyTime: v.optional(v.number()),
  /** The field `bodyTime` came from, e.g. `MsgTime`. */
  timeField: v.optional(v.string()),
  /** When the receiver got the request, in epoch milliseconds. */
  receivedAt: v.number(),
  clientIp: v.optional(v.string()),
  optPlatform: v.optional(v.string()),
  /** The request body exactly as received (JSON text), or a batch item's text in it. The store compresses it (stored-payload.ts). */
  payload: v.string(),
  /** False when the body failed its command's schema: it is kept all the same, with the reasons. */
  valid: v.boolean(),
  problems: v.optional(v.string()),
  /**
   * The canary's own message (functions/canary/canary-marker.ts): kept like any other, but not
   * published by the fan-out, and marked in listings. Absent on every other event.
   */
  canary: v.optional(v.literal(true)),
  /** Epoch seconds after which DynamoDB's TTL deletes the event. */
  expiresAt: v.number(),
};

/**
 * One after-event as it is kept: what Tencent sent, verbatim, and what the receiver knew of it. The
 * type has exactly the declared fields; the check below keeps any others an item may carry.
 */
export type StoredEvent = Readonly<v.InferOutput<v.ObjectSchema<typeof storedEventEntries, undefined>>>;

/**
 * A stored event read back from a fallback (an SQS message, a spool line) or a stream image: checked
 * before it is used, so a damaged one fails on its own instead of writing a broken item.
 */
export const StoredEventSchema = v.looseObject(storedEventEntries);
