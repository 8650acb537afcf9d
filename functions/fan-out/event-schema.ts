import * as v from 'valibot';

/**
 * What the bus carries, declared once: the fan-out consumer and the local forwarder build their
 * events to it, and `npm run schemas` turns it into the JSON Schemas consumers generate types from.
 */

/** Every entry's `Source`: what a rule's pattern matches on. */
export const EVENT_SOURCE = 'tencent.im';

/**
 * The detail of one stored after-event. `body` is the callback body as Tencent sent it, parsed;
 * `bodySchema` narrows it (a command's own schema, for that command's JSON Schema). When the entry
 * would be over PutEvents' limit the body is left out and `bodyOmitted` says so: read it from the
 * table by `eventId`.
 */
export const eventDetailSchema = <Body extends v.GenericSchema>(bodySchema: Body) =>
  v.object({
    /** The event's id in the table, the same for every delivery of it: the consumers' deduplication key. */
    eventId: v.string(),
    sdkAppId: v.string(),
    /** The `CallbackCommand`, also the event's `detail-type`. */
    command: v.string(),
    /** `after`, or `unregistered` for a command the receiver has no schema for (stored as received). */
    kind: v.picklist(['after', 'unregistered']),
    groupId: v.optional(v.string()),
    topicId: v.optional(v.string()),
    /** The user the event is by or about, when the command names one. */
    user: v.optional(v.string()),
    /** Tencent's `EventTime`, epoch milliseconds, when the body has one. */
    eventTime: v.optional(v.number()),
    /** When the receiver got the callback, epoch milliseconds. */
    receivedAt: v.number(),
    body: v.optional(bodySchema),
    bodyOmitted: v.optional(v.literal(true)),
  });

export const EventDetailSchema = eventDetailSchema(v.record(v.string(), v.unknown()));
export type EventDetail = v.InferOutput<typeof EventDetailSchema>;

/** The event as EventBridge delivers it to a rule's target (and the local forwarder POSTs it). */
export const eventEnvelopeSchema = <Detail extends v.GenericSchema>(detailType: v.GenericSchema<string>, detail: Detail) =>
  v.object({
    version: v.literal('0'),
    /** EventBridge's id of this publication; a re-publication gets a new one: deduplicate on `detail.eventId`. */
    id: v.string(),
    'detail-type': detailType,
    source: v.literal(EVENT_SOURCE),
    account: v.string(),
    time: v.string(),
    region: v.string(),
    resources: v.array(v.string()),
    detail,
  });

export const EventEnvelopeSchema = eventEnvelopeSchema(v.string(), EventDetailSchema);
export type EventEnvelope = v.InferOutput<typeof EventEnvelopeSchema>;
