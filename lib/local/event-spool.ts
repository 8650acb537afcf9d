import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EventFallback, EventStore, StoredEvent } from '../../functions/store/event-store.ts';
import { parseStoredEvent } from '../../functions/store/stored-event-schema.ts';

export interface ReplayCounts {
  readonly stored: number;
  readonly duplicates: number;
  /** Still spooled: the store failed again. */
  readonly remaining: number;
  /** Lines cut short by a crash mid-append: never acknowledged, so nothing is lost. */
  readonly torn: number;
}

const CURRENT = 'current.jsonl';

/**
 * The fallback in local mode: an append-only file of events under DATA_DIR/spool, each line
 * fsync'd before the callback is acknowledged, so it survives Ctrl-C, SIGKILL and a store outage.
 * `replay` moves the file aside and writes its events with the same idempotent put; what fails goes
 * back into the spool. A crash mid-replay leaves the moved file, which the next replay picks up.
 */
export class EventSpool implements EventFallback {
  readonly #dir: string;
  #replaying: Promise<ReplayCounts> | undefined;
  #batch = 0;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  async keep(event: StoredEvent): Promise<void> {
    this.#append([JSON.stringify(event)]);
  }

  /** How many events wait in the spool. */
  pending(): number {
    return this.#files().reduce((count, file) => count + this.#lines(file).length, 0);
  }

  /** One replay at a time: a caller during a replay gets that replay's counts. */
  replay(store: EventStore, writeBudgetMs = 1000): Promise<ReplayCounts> {
    this.#replaying ??= this.#replayOnce(store, writeBudgetMs).finally(() => (this.#replaying = undefined));
    return this.#replaying;
  }

  async #replayOnce(store: EventStore, writeBudgetMs: number): Promise<ReplayCounts> {
    const counts = { stored: 0, duplicates: 0, remaining: 0, torn: 0 };
    if (existsSync(join(this.#dir, CURRENT))) {
      renameSync(join(this.#dir, CURRENT), join(this.#dir, `replaying-${Date.now()}-${this.#batch++}.jsonl`));
    }
    for (const file of this.#files().filter((name) => name !== CURRENT)) {
      const failed: string[] = [];
      for (const line of this.#lines(file)) {
        let event: StoredEvent;
        try {
          event = parseStoredEvent(line);
        } catch {
          counts.torn += 1;
          continue;
        }
        // Once the store has failed, the rest go straight back: no point waiting on each.
        if (failed.length > 0) {
          failed.push(line);
          continue;
        }
        try {
          const outcome = await store.put(event, { signal: AbortSignal.timeout(writeBudgetMs) });
          if (outcome === 'stored') counts.stored += 1;
          else counts.duplicates += 1;
        } catch {
          failed.push(line);
        }
      }
      if (failed.length > 0) this.#append(failed);
      counts.remaining += failed.length;
      rmSync(join(this.#dir, file));
    }
    return counts;
  }

  #append(lines: string[]) {
    const fd = openSync(join(this.#dir, CURRENT), 'a');
    try {
      writeSync(fd, `${lines.join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  #files(): string[] {
    return readdirSync(this.#dir).filter((name) => name.endsWith('.jsonl')).sort();
  }

  #lines(file: string): string[] {
    return readFileSync(join(this.#dir, file), 'utf8').split('\n').filter((line) => line !== '');
  }
}
