import * as v from 'valibot';
import type { StoredEvent } from './event-store.ts';

/**
 * A stored event read back from a fallback (an SQS message, a spool line): checked before it is
 * written, so a damaged message fails on its own instead of writing a broken item.
 */
export const StoredEventSchema = v.looseObject({
  eventId: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  command: v.pipe(v.string(), v.nonEmpty()),
  kind: v.picklist(['before', 'after', 'unregistered']),
  sdkAppId: v.pipe(v.string(), v.nonEmpty()),
  groupId: v.optional(v.string()),
  topicId: v.optional(v.string()),
  user: v.optional(v.string()),
  eventTime: v.optional(v.number()),
  receivedAt: v.number(),
  clientIp: v.optional(v.string()),
  optPlatform: v.optional(v.string()),
  payload: v.string(),
  payloadEncoding: v.optional(v.literal('gzip+base64')),
  valid: v.boolean(),
  problems: v.optional(v.string()),
  expiresAt: v.number(),
}) satisfies v.GenericSchema<unknown, StoredEvent>;

export const parseStoredEvent = (text: string): StoredEvent => v.parse(StoredEventSchema, JSON.parse(text));
