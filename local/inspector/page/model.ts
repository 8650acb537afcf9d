import type { InspectedCallback } from '../inspector-types.ts';

export const outcomeOf = (callback: InspectedCallback): string => callback.record.outcome;
export const commandOf = (callback: InspectedCallback): string | undefined => callback.record.command;
export const eventIdOf = (callback: InspectedCallback): string | undefined => callback.record.eventId;

/**
 * What sets a row apart from a plain green one: `unregistered`, its command has no definition (a
 * typo in a test request, or one Tencent added since: docs/commands.md#unknown), or `invalid`, its
 * body failed the command's schema. Both were taken as Tencent's traffic is; neither should pass unseen.
 */
export function checkOf(callback: InspectedCallback): 'unregistered' | 'invalid' | undefined {
  if (callback.record.kind === 'unregistered' || (callback.source === 'live' && callback.record.unknownCommand === true)) return 'unregistered';
  return callback.record.valid === false ? 'invalid' : undefined;
}

/** What a marked row's tooltip says. */
export function checkTitle(callback: InspectedCallback): string | undefined {
  switch (checkOf(callback)) {
    case 'unregistered': {
      const nearest = callback.source === 'live' ? callback.record.nearest : undefined;
      return `unknown command${nearest === undefined ? '' : `: nearest ${nearest}`}`;
    }
    case 'invalid':
      return callback.source === 'stored' && callback.record.problems !== undefined ? `invalid: ${callback.record.problems}` : 'invalid: failed its schema';
    default:
      return undefined;
  }
}

/**
 * The ids a row names, for the "group or user" filter and the list's group/user column: the ids the
 * callback is about, then the accounts its record shows (`fields`: operator, sender…).
 */
export function subjectsOf(callback: InspectedCallback): string[] {
  const { groupId, topicId, user } = callback.record;
  const fields = callback.source === 'live' ? Object.values(callback.record.fields ?? {}) : [];
  return [groupId, topicId, user, ...fields].filter((value): value is string => value !== undefined);
}

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
