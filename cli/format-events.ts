import { commandDefinition } from '../functions/commands/registry.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';

const iso = (epochMs: number | undefined) => (epochMs === undefined ? '' : new Date(epochMs).toISOString());

/** The body as received, parsed back into JSON where it parses (it always did when it was stored). */
function payloadOf(event: StoredEvent): unknown {
  const text = event.payload;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * For an event whose command has no definition (`kind: "unregistered"`), the registered command its
 * name is nearest to, if any: a typo in a test request (docs/commands.md#unknown).
 */
const nearestOf = (event: StoredEvent): string | undefined => (event.kind === 'unregistered' ? commandDefinition(event.command).nearest : undefined);

/**
 * What the receiver made of the event: `valid`, `invalid: <what its schema found>`, or
 * `unregistered: unknown command` (with the nearest name), so neither looks like the others.
 */
function checkOf(event: StoredEvent): string {
  if (event.kind === 'unregistered') {
    const nearest = nearestOf(event);
    return `unregistered: unknown command${nearest === undefined ? '' : `, nearest ${nearest}`}`;
  }
  return event.valid ? 'valid' : `invalid: ${event.problems ?? ''}`;
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
        user: event.user ?? null,
        eventTime: event.eventTime ?? null,
        receivedAt: event.receivedAt,
        clientIp: event.clientIp ?? null,
        optPlatform: event.optPlatform ?? null,
        valid: event.valid,
        problems: event.problems ?? null,
        nearest: nearestOf(event) ?? null,
        // The canary's own message (docs/production.md#canary), marked so a pipeline can drop it.
        ...(event.canary ? { canary: true } : {}),
        payload: payloadOf(event),
      }),
    )
    .join('\n');
}

const HEADER = ['TIME (UTC)', 'COMMAND', 'GROUP', 'TOPIC', 'USER', 'EVENT ID', 'CHECK'];

const rowOf = (event: StoredEvent) => [
  iso(event.eventTime ?? event.receivedAt),
  event.canary ? `${event.command} (canary)` : event.command,
  event.groupId ?? '-',
  event.topicId ?? '-',
  event.user ?? '-',
  event.eventId.slice(0, 12),
  checkOf(event),
];

const aligned = (rows: readonly string[][], widths: readonly number[]) =>
  rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');

/** The default: a table a person can read at a glance. */
export function eventsAsTable(events: readonly StoredEvent[]): string {
  if (events.length === 0) return 'No events stored yet.';
  const write = tableWriter();
  return write(events);
}

/**
 * A table printed page by page as a listing streams: the header comes with the first page, and the
 * columns keep the widths seen so far (a later, wider cell widens its column from there on).
 */
export function tableWriter(): (events: readonly StoredEvent[]) => string {
  let widths: number[] | undefined;
  return (events) => {
    const rows = events.map(rowOf);
    const first = widths === undefined;
    const all = first ? [HEADER, ...rows] : rows;
    widths = HEADER.map((_, column) => Math.max(widths?.[column] ?? 0, ...all.map((row) => row[column]!.length)));
    return aligned(all, widths);
  };
}
