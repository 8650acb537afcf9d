import type { InspectedCallback } from '../inspector-types.ts';

/** A record's field as text, whatever the record holds: it grows fields (rule, user…) over time. */
export function field(callback: InspectedCallback, name: string): string | undefined {
  const value = callback.record[name];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export const outcomeOf = (callback: InspectedCallback) => field(callback, 'outcome') ?? 'unknown';
export const commandOf = (callback: InspectedCallback) => field(callback, 'command');
/** The fields a "group or user" filter looks in, and the list's group/user column shows. */
const subjectFields = ['groupId', 'topicId', 'user', 'operator'];
export const subjectsOf = (callback: InspectedCallback) => subjectFields.map((name) => field(callback, name)).filter((value) => value !== undefined);

export interface Filter {
  readonly command: string;
  readonly outcome: string;
  readonly subject: string;
}

/** Keeps at most this many rows: the server keeps 500 callbacks and shows 200 stored events. */
const MAX_ROWS = 1000;

/**
 * Every callback the page knows, by id: live ones from the stream, stored ones from the table. An
 * event both seen live and read back from the table is one row, the live one (it has the answer).
 */
export class CallbackModel {
  readonly #rows = new Map<string, InspectedCallback>();
  readonly #liveByEvent = new Map<string, string>();
  readonly #inTable = new Set<string>();
  readonly #listeners: (() => void)[] = [];
  readonly commands = new Set<string>();
  readonly outcomes = new Set<string>();

  onChange(listener: () => void) {
    this.#listeners.push(listener);
  }

  add(callback: InspectedCallback): void {
    if (this.#rows.has(callback.id)) return;
    const eventId = field(callback, 'eventId');
    if (callback.source === 'stored') {
      if (eventId !== undefined && this.#liveByEvent.has(eventId)) {
        // A queued (spooled) callback has reached the table since: its row says so.
        if (!this.#inTable.has(eventId)) {
          this.#inTable.add(eventId);
          this.#changed();
        }
        return;
      }
    } else if (eventId !== undefined) {
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

  /** Whether the table has told of this live callback's event since it was answered. */
  reachedTableLater(callback: InspectedCallback): boolean {
    const eventId = field(callback, 'eventId');
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
    return this.all().filter(
      (callback) =>
        (filter.command === '' || commandOf(callback) === filter.command) &&
        (filter.outcome === '' || outcomeOf(callback) === filter.outcome) &&
        (subject === '' || subjectsOf(callback).some((value) => value.toLowerCase().includes(subject))),
    );
  }

  #dropOldest() {
    const oldest = this.all().at(-1);
    if (oldest !== undefined) this.#rows.delete(oldest.id);
  }
}
