import type { StoredEvent } from '../../functions/store/event-store.ts';
import { payloadText } from '../../functions/store/stored-payload.ts';

const iso = (epochMs: number | undefined) => (epochMs === undefined ? '' : new Date(epochMs).toISOString());

/** The body as received, parsed back into JSON where it parses (it always did when it was stored). */
function payloadOf(event: StoredEvent): unknown {
  const text = payloadText(event);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `--json`: one object per line, for jq and friends. */
export function eventsAsJsonLines(events: readonly StoredEvent[]): string {
  return events
    .map((event) =>
      JSON.stringify({
        eventId: event.eventId,
        command: event.command,
        kind: event.kind,
        sdkAppId: event.sdkAppId,
        groupId: event.groupId ?? null,
        topicId: event.topicId ?? null,
        eventTime: event.eventTime ?? null,
        receivedAt: event.receivedAt,
        clientIp: event.clientIp ?? null,
        optPlatform: event.optPlatform ?? null,
        valid: event.valid,
        problems: event.problems ?? null,
        payload: payloadOf(event),
      }),
    )
    .join('\n');
}

/** The default: a table a person can read at a glance. */
export function eventsAsTable(events: readonly StoredEvent[]): string {
  if (events.length === 0) return 'No events stored yet.';
  const rows = [
    ['TIME (UTC)', 'COMMAND', 'GROUP', 'TOPIC', 'EVENT ID', 'VALID'],
    ...events.map((event) => [
      iso(event.eventTime ?? event.receivedAt),
      event.command,
      event.groupId ?? '-',
      event.topicId ?? '-',
      event.eventId.slice(0, 12),
      event.valid ? 'yes' : `no: ${event.problems ?? ''}`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
