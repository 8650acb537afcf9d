import * as v from 'valibot';
import { storedKinds } from '../commands/definition.ts';

/**
 * What the bus carries, declared once: the fan-out consumer and the local forwarder build their
 * events to it, and `npm run schemas` turns it into the JSON Schemas consumers generate types from.
 */

/** A field's meaning, kept in the schema so the generated JSON Schemas carry it too. */
const described = <Schema extends v.GenericSchema>(schema: Schema, description: string) => v.pipe(schema, v.description(description));

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
    eventId: described(v.string(), "The event's id in the table, the same in every delivery, retry and replay: the consumers' deduplication key"),
    sdkAppId: v.string(),
    command: described(v.string(), "The CallbackCommand, also the event's detail-type"),
    kind: described(v.picklist(storedKinds), '`unregistered` for a command the receiver has no schema for (stored as received)'),
    groupId: v.optional(v.string()),
    topicId: v.optional(v.string()),
    user: v.optional(described(v.string(), 'The user the event is by or about, when the command names one')),
    eventTime: v.optional(described(v.number(), "Tencent's EventTime, epoch milliseconds, when the body has one")),
    receivedAt: described(v.number(), 'When the receiver got the callback, epoch milliseconds'),
    body: v.optional(described(bodySchema, 'The callback body exactly as Tencent sent it; absent when bodyOmitted')),
    bodyOmitted: v.optional(described(v.literal(true), 'The body was too large for one event: read it from the table by eventId')),
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
