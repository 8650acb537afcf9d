import type { Delivery } from '../forward-deliveries.ts';
import type { InspectedCallback } from '../inspector-types.ts';

export const outcomeOf = (callback: InspectedCallback): string => callback.record.outcome;
export const commandOf = (callback: InspectedCallback): string | undefined => callback.record.command;
export const eventIdOf = (callback: InspectedCallback): string | undefined => callback.record.eventId;

/**
 * The ids a row names, for the "group or user" filter and the list's group/user column: the ids the
 * callback is about, then the accounts its record shows (`fields`: operator, sender…).
 */
export function subjectsOf(callback: InspectedCallback): string[] {
  const { groupId, topicId, user } = callback.record;
  const fields = callback.source === 'live' ? Object.values(callback.record.fields ?? {}) : [];
  return [groupId, topicId, user, ...fields].filter((value): value is string => value !== undefined);
}

/**
 * What sets a row apart from an ordinary callback, for its marks in the list (docs/local.md#inspector):
 * - `invalid`: stored although its body failed its command's schema (`valid: false`);
 * - `unregistered`: a command this receiver has no definition for, stored as received (or, a
 *   before-callback, allowed): a typo, or one Tencent added since (docs/commands.md#unknown);
 * - `probe`: a request that named no command, or came to no route: a scanner, a health check, a
 *   tunnel's test, a URL set without its path. Nothing Tencent sends.
 */
export type Mark = 'invalid' | 'unregistered' | 'probe';

const probeReasons = new Set(['route-not-found', 'method-not-allowed', 'missing-sdkappid', 'missing-command']);

export function marksOf(callback: InspectedCallback): Mark[] {
  const { record } = callback;
  const marks: Mark[] = [];
  // A deployed event's detail says nothing of its schema: the bus carries what was stored either way.
  if (callback.source !== 'deployed' && callback.record.valid === false) marks.push('invalid');
  if (record.kind === 'unregistered' || (callback.source === 'live' && callback.record.unknownCommand === true)) marks.push('unregistered');
  if (callback.source === 'live') {
    const { command, reason, outcome } = callback.record;
    // The console's URL check, answered OK (docs/protocol.md#console-probe), is one whatever it names.
    if (outcome === 'probe' || command === undefined || (reason !== undefined && probeReasons.has(reason))) marks.push('probe');
  }
  return marks;
}

/** What a mark's tag says on hover: an unknown command's nearest registered name, when the record has one. */
export function markTitle(callback: InspectedCallback, mark: Mark): string | undefined {
  if (mark !== 'unregistered') return undefined;
  const nearest = callback.source === 'live' ? callback.record.nearest : undefined;
  return nearest === undefined ? 'unknown command' : `unknown command: nearest ${nearest}`;
}

export interface Filter {
  readonly command: string;
  readonly outcome: string;
  readonly subject: string;
  /** Text anywhere in the body, the command, the ids or the event id, in any case. */
  readonly text?: string;
}

/** Keeps at most this many rows: the server keeps 500 callbacks and shows 200 stored events. */
const MAX_ROWS = 1000;

/** Rows a bulk load may not push out: the newest of each command. */
const keyOf = (callback: InspectedCallback) => commandOf(callback) ?? '(none)';

/**
 * Every callback the page knows, by id: live ones from the stream, stored ones from the table. An
 * event both seen live and read back from the table is one row, the live one (it has the answer).
 */
export class CallbackModel {
  readonly #rows = new Map<string, InspectedCallback>();
  readonly #liveByEvent = new Map<string, string>();
  readonly #inTable = new Set<string>();
  readonly #deliveries = new Map<string, readonly Delivery[]>();
  readonly #listeners: (() => void)[] = [];
  readonly commands = new Set<string>();
  readonly outcomes = new Set<string>();

  onChange(listener: () => void) {
    this.#listeners.push(listener);
  }

  add(callback: InspectedCallback): void {
    if (this.#rows.has(callback.id)) return;
    const eventId = eventIdOf(callback);
    if (callback.source === 'stored') {
      if (eventId !== undefined && this.#liveByEvent.has(eventId)) {
        // A queued (spooled) callback has reached the table since: its row says so.
        if (!this.#inTable.has(eventId)) {
          this.#inTable.add(eventId);
          this.#changed();
        }
        return;
      }
    } else if (callback.source === 'live' && eventId !== undefined) {
      // A deployed event is its own row, whatever its id: it was never in this process's table.
      this.#liveByEvent.set(eventId, callback.id);
      this.#rows.delete(`event:${eventId}`);
    }
    this.#rows.set(callback.id, callback);
    const command = commandOf(callback);
    if (command !== undefined) this.commands.add(command);
    this.outcomes.add(outcomeOf(callback));
    if (this.#rows.size > MAX_ROWS) this.#dropOldest();
    this.#changed();
  }

  /** What became of an event's forwarding, as the live stream tells it. */
  setDeliveries(eventId: string, deliveries: readonly Delivery[]): void {
    this.#deliveries.set(eventId, deliveries);
    this.#changed();
  }

  /** The latest news of its event's forwarding, else what the row came with. */
  deliveriesOf(callback: InspectedCallback): readonly Delivery[] | undefined {
    // The local forwarder's news is of the local table's events; a deployed one's forwarding is the stack's.
    if (callback.source === 'deployed') return undefined;
    const eventId = eventIdOf(callback);
    return (eventId === undefined ? undefined : this.#deliveries.get(eventId)) ?? callback.deliveries;
  }

  /** Whether the table has told of this live callback's event since it was answered. */
  reachedTableLater(callback: InspectedCallback): boolean {
    const eventId = eventIdOf(callback);
    return callback.source === 'live' && eventId !== undefined && this.#inTable.has(eventId) && outcomeOf(callback) !== 'stored';
  }

  #changed() {
    for (const listener of this.#listeners) listener();
  }

  get(id: string) {
    return this.#rows.get(id);
  }

  get size() {
    return this.#rows.size;
  }

  /** Newest first. */
  all(): InspectedCallback[] {
    return [...this.#rows.values()].sort((a, b) => b.at - a.at);
  }

  matching(filter: Filter): InspectedCallback[] {
    const subject = filter.subject.trim().toLowerCase();
    const text = (filter.text ?? '').trim().toLowerCase();
    return this.all().filter(
      (callback) =>
        (filter.command === '' || commandOf(callback) === filter.command) &&
        (filter.outcome === '' || outcomeOf(callback) === filter.outcome) &&
        (subject === '' || subjectsOf(callback).some((value) => value.toLowerCase().includes(subject))) &&
        (text === '' ||
          [callback.body, commandOf(callback) ?? '', eventIdOf(callback) ?? '', ...subjectsOf(callback)].some((value) => value.toLowerCase().includes(text))),
    );
  }

  /** The oldest row that is not the newest of its command; the oldest of all when every row is. */
  #dropOldest() {
    const rows = this.all();
    const newest = new Set<string>();
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(keyOf(row))) continue;
      seen.add(keyOf(row));
      newest.add(row.id);
    }
    const victim = rows.findLast((row) => !newest.has(row.id)) ?? rows.at(-1);
    if (victim !== undefined) this.#rows.delete(victim.id);
  }
}
