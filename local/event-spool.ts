import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { drainKeptEvents } from '../functions/drain/drain-kept-events.ts';
import type { EventFallback, EventKey, EventStore, StoredEvent } from '../functions/store/event-store.ts';
import { keptEventText } from '../functions/store/kept-event.ts';
import { PRIVATE_FILE_MODE, privateFolder } from './data-dir.ts';

export interface ReplayCounts {
  readonly stored: number;
  readonly duplicates: number;
  /** Still spooled: the store failed again. */
  readonly remaining: number;
  /** Lines cut short by a crash mid-append: never acknowledged, so nothing is lost. */
  readonly torn: number;
}

const CURRENT = 'current.jsonl';

export interface EventSpoolOptions {
  /** Told what each replay did, once per replay, when it did anything. Default: nobody. */
  readonly onReplay?: (counts: ReplayCounts) => void;
}

/**
 * The fallback in local mode: an append-only file of events under DATA_DIR/spool, each line
 * fsync'd before the callback is acknowledged, so it survives Ctrl-C, SIGKILL and a store outage.
 * `replay` moves the file aside and writes its events with the same idempotent put; what fails goes
 * back into the spool. A crash mid-replay leaves the moved file, which the next replay picks up.
 */
export class EventSpool implements EventFallback {
  readonly #dir: string;
  readonly #onReplay: (counts: ReplayCounts) => void;
  #replaying: Promise<ReplayCounts> | undefined;
  #batch = 0;

  constructor(dir: string, options: EventSpoolOptions = {}) {
    this.#dir = dir;
    this.#onReplay = options.onReplay ?? (() => undefined);
    privateFolder(dir);
  }

  async keep(event: StoredEvent, key?: EventKey): Promise<void> {
    this.#append([keptEventText(event, key)]);
  }

  /** How many events wait in the spool. */
  pending(): number {
    return this.#files().reduce((count, file) => count + this.#lines(file).length, 0);
  }

  /**
   * One replay at a time: a caller during a replay gets that replay's counts. Each file's lines go
   * through the drain the SQS queue has too (functions/drain/drain-kept-events.ts); once a write fails,
   * the rest of the file goes back untried. What failed goes back into the spool; a torn line goes.
   */
  replay(store: EventStore, writeBudgetMs: number): Promise<ReplayCounts> {
    this.#replaying ??= this.#replayOnce(store, writeBudgetMs).finally(() => (this.#replaying = undefined));
    return this.#replaying;
  }

  async #replayOnce(store: EventStore, writeBudgetMs: number): Promise<ReplayCounts> {
    const counts = { stored: 0, duplicates: 0, remaining: 0, torn: 0 };
    const drain = drainKeptEvents({ store, writeBudgetMs, afterFailure: 'put-back', log: () => undefined });
    if (existsSync(join(this.#dir, CURRENT))) {
      renameSync(join(this.#dir, CURRENT), join(this.#dir, `replaying-${Date.now()}-${this.#batch++}.jsonl`));
    }
    for (const file of this.#files().filter((name) => name !== CURRENT)) {
      const lines = this.#lines(file);
      const { outcomes } = await drain(lines.map((body, index) => ({ messageId: String(index), body })));
      const failed = lines.filter((_, index) => {
        const outcome = outcomes.get(String(index));
        if (outcome === 'stored') counts.stored += 1;
        else if (outcome === 'duplicate') counts.duplicates += 1;
        // Cut short by a crash mid-append: never acknowledged, so nothing is lost.
        else if (outcome === 'unreadable') counts.torn += 1;
        else return true;
        return false;
      });
      if (failed.length > 0) this.#append(failed);
      counts.remaining += failed.length;
      rmSync(join(this.#dir, file));
    }
    if (counts.stored + counts.duplicates + counts.remaining + counts.torn > 0) this.#onReplay(counts);
    return counts;
  }

  #append(lines: string[]) {
    const fd = openSync(join(this.#dir, CURRENT), 'a+', PRIVATE_FILE_MODE);
    try {
      // After a crash mid-append the file may end in a torn line: start on a line of our own, or the
      // first event acknowledged after the restart would be glued to it and read back as torn too.
      const { size } = fstatSync(fd);
      const last = Buffer.alloc(1);
      const startsClean = size === 0 || (readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a);
      const data = Buffer.from(`${startsClean ? '' : '\n'}${lines.join('\n')}\n`);
      for (let written = 0; written < data.length; ) written += writeSync(fd, data, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  #files(): string[] {
    return readdirSync(this.#dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
  }

  #lines(file: string): string[] {
    return readFileSync(join(this.#dir, file), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  }
}
