import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { StoredEvent } from '../store/event-store.ts';
import { EVENT_SOURCE, type EventDetail } from './event-schema.ts';

/** PutEvents takes at most this many entries per call. */
export const MAX_ENTRIES_PER_CALL = 10;
/** PutEvents' limit on one entry, and on a call's entries together, as `entrySize` counts them. */
export const MAX_ENTRY_BYTES = 256 * 1024;

/**
 * An entry's size as EventBridge counts it (docs: "Calculating PutEvents event entry size"): 14
 * bytes for a Time, then the UTF-8 bytes of Source, DetailType, Detail and each resource.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

/** The detail of a stored event, with its body parsed back to JSON; absent fields are left out. */
export function eventDetail(event: StoredEvent): EventDetail {
  const detail: Record<string, unknown> = {
    eventId: event.eventId,
    sdkAppId: event.sdkAppId,
    command: event.command,
    kind: event.kind,
    groupId: event.groupId,
    topicId: event.topicId,
    user: typeof event.user === 'string' ? event.user : undefined,
    eventTime: event.eventTime,
    receivedAt: event.receivedAt,
    body: JSON.parse(event.payload) as unknown,
  };
  return Object.fromEntries(Object.entries(detail).filter(([, value]) => value !== undefined)) as EventDetail;
}

/**
 * The PutEvents entry of a stored event: `detail-type` the command, `time` when it was received.
 * A detail that would make the entry too large leaves the body out, with `bodyOmitted: true`; one
 * still too large (only a hostile sender's ids, hundreds of KB long, make it so) leaves the ids out
 * too. The table has both whole, by `eventId`.
 */
export function eventEntry(event: StoredEvent, eventBusName: string): { entry: PutEventsRequestEntry; bodyOmitted: boolean } {
  const detail = eventDetail(event);
  const entry = (Detail: string): PutEventsRequestEntry => ({
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: event.command,
    Time: new Date(event.receivedAt),
    Resources: [],
    Detail,
  });
  const whole = entry(JSON.stringify(detail));
  if (entrySize(whole) <= MAX_ENTRY_BYTES) return { entry: whole, bodyOmitted: false };
  const { body: _body, ...rest } = detail;
  const withoutBody = entry(JSON.stringify({ ...rest, bodyOmitted: true }));
  if (entrySize(withoutBody) <= MAX_ENTRY_BYTES) return { entry: withoutBody, bodyOmitted: true };
  const { groupId: _groupId, topicId: _topicId, user: _user, ...bare } = rest;
  return { entry: entry(JSON.stringify({ ...bare, bodyOmitted: true })), bodyOmitted: true };
}
