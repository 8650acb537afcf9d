import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { drainKeptEvents } from '../functions/drain/drain-kept-events.ts';
import type { EventFallback, EventKey, EventStore, StoredEvent } from '../functions/store/event-store.ts';
import { keptEventText } from '../functions/store/kept-event.ts';
import { privateFolder } from './data-dir.ts';
import { appendDurably, GroupCommit } from './group-commit.ts';

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
 * The fallback in local mode: an append-only file of events under DATA_DIR/spool, each line on disk
 * (fdatasync) before the callback is acknowledged, so it survives Ctrl-C, SIGKILL and a store outage.
 * Appends are group-committed (group-commit.ts): when the store is slow, many callbacks spool at once,
 * and they share one write and one sync, off the event loop. `replay` moves the file aside, between
 * two commits, and writes its events with the same idempotent put; what fails goes back into the
 * spool. A crash mid-replay leaves the moved file, which the next replay picks up.
 */
export class EventSpool implements EventFallback {
  readonly #dir: string;
  readonly #onReplay: (counts: ReplayCounts) => void;
  #replaying: Promise<ReplayCounts> | undefined;
  readonly #drained = Promise.withResolvers<void>();
  #batch = 0;
  /** Lines for CURRENT, each one or more events. */
  readonly #commits: GroupCommit<string>;

  constructor(dir: string, options: EventSpoolOptions = {}) {
    this.#dir = dir;
    this.#onReplay = options.onReplay ?? (() => undefined);
    privateFolder(dir);
    // After a crash mid-append the file may end in a torn line: each commit starts on a line of its
    // own, or the first event acknowledged after the restart would be glued to it and read back as torn too.
    this.#commits = new GroupCommit(async (lines) => {
      await appendDurably(join(this.#dir, CURRENT), Buffer.from(`${lines.join('\n')}\n`), { newlineFirst: true });
    });
  }

  keep(event: StoredEvent, key?: EventKey): Promise<void> {
    return this.#commits.add(keptEventText(event, key));
  }

  /** How many events wait in the spool. */
  pending(): number {
    return this.#files().reduce((count, file) => count + this.#lines(file).length, 0);
  }

  /**
   * Resolves once a replay has put none of what it found back: everything spooled before that replay
   * began (so everything an earlier run left) is in the table. A first replay that stores only part
   * of it (the store slow or failing at start) does not resolve it; a later one that stores the rest does.
   */
  drained(): Promise<void> {
    return this.#drained.promise;
  }

  /**
   * One replay at a time: a caller during a replay gets that replay's counts. Each file's lines go
   * through the drain the SQS queue has too (functions/drain/drain-kept-events.ts); once a write fails,
   * the rest of the file goes back untried. What failed goes back into the spool; a torn line goes.
   */
  replay(store: EventStore, writeBudgetMs: number): Promise<ReplayCounts> {
    this.#replaying ??= this.#replayWhileStoring(store, writeBudgetMs).finally(() => (this.#replaying = undefined));
    return this.#replaying;
  }

  /**
   * Passes over the spool for as long as each stores something and puts something back: the store
   * answers, but a write outlived its budget and the rest of its file went back untried. Waiting for
   * the next interval there would drain a backlog one budget's worth per interval (5 s in npm start).
   * A pass that stores nothing (the store still down) ends the replay; each pass is reported.
   */
  async #replayWhileStoring(store: EventStore, writeBudgetMs: number): Promise<ReplayCounts> {
    const total = { stored: 0, duplicates: 0, remaining: 0, torn: 0 };
    for (;;) {
      const pass = await this.#replayOnce(store, writeBudgetMs);
      total.stored += pass.stored;
      total.duplicates += pass.duplicates;
      total.torn += pass.torn;
      total.remaining = pass.remaining;
      if (pass.remaining === 0 || pass.stored + pass.duplicates === 0) return total;
    }
  }

  async #replayOnce(store: EventStore, writeBudgetMs: number): Promise<ReplayCounts> {
    const counts = { stored: 0, duplicates: 0, remaining: 0, torn: 0 };
    const drain = drainKeptEvents({ store, writeBudgetMs, afterFailure: 'put-back', log: () => undefined });
    // Between two commits: no append is half in the file moved aside.
    await this.#commits.exclusive(() => {
      if (existsSync(join(this.#dir, CURRENT))) renameSync(join(this.#dir, CURRENT), join(this.#dir, `replaying-${Date.now()}-${this.#batch++}.jsonl`));
    });
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
      if (failed.length > 0) await this.#commits.add(failed.join('\n'));
      counts.remaining += failed.length;
      rmSync(join(this.#dir, file));
    }
    if (counts.stored + counts.duplicates + counts.remaining + counts.torn > 0) this.#onReplay(counts);
    if (counts.remaining === 0) this.#drained.resolve();
    return counts;
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
