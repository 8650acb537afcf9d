import { setTimeout as sleep } from 'node:timers/promises';
import type { PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import { entrySize, MAX_ENTRIES_PER_CALL, MAX_ENTRY_BYTES } from './event-entry.ts';

export interface EntryPublisherOptions {
  /** One PutEvents call: the entries, in order; its answer's `Entries` line up with them. */
  readonly send: (entries: PutEventsRequestEntry[]) => Promise<Pick<PutEventsResponse, 'Entries'>>;
  /** Calls per entry before it is given up on (the stream then retries its record). @default 4 */
  readonly maxAttempts?: number;
  /** The first wait before a retry; doubled each time, with jitter. @default 100 */
  readonly baseDelayMs?: number;
  /** Told how many entries each retry resends. @default nobody */
  readonly onRetry?: (entries: number, reason: string) => void;
  /**
   * Stops the retries: a wait between them ends at once, and the entries not yet published are
   * rejected (their records are tried again by the stream). Local mode aborts it when it stops.
   * @default never
   */
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly entry: PutEventsRequestEntry;
  readonly size: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Gathers the entries published in one turn of the event loop (the batch processor hands over all of
 * a batch's records at once) into PutEvents calls of at most 10 entries and 256 KB, and retries the
 * entries a call reports failed (throttling, internal errors), with backoff, a bounded number of
 * times. Each `publish` settles with its own entry: the caller reports its record failed on its own.
 * Calls are made one at a time, in order: what the stream delivered in order is published in order.
 */
export class EntryPublisher {
  readonly #options: Required<Omit<EntryPublisherOptions, 'onRetry' | 'signal'>> & Pick<EntryPublisherOptions, 'onRetry' | 'signal'>;
  #pending: Pending[] = [];

  constructor(options: EntryPublisherOptions) {
    this.#options = { maxAttempts: 4, baseDelayMs: 100, ...options };
    if (!(Number.isInteger(this.#options.maxAttempts) && this.#options.maxAttempts >= 1)) throw new RangeError('maxAttempts must be a whole number >= 1');
    if (!(Number.isFinite(this.#options.baseDelayMs) && this.#options.baseDelayMs >= 0)) throw new RangeError('baseDelayMs must be a number of ms >= 0');
  }

  publish(entry: PutEventsRequestEntry): Promise<void> {
    const size = entrySize(entry);
    if (size > MAX_ENTRY_BYTES) return Promise.reject(new RangeError(`entry of ${size} bytes is over PutEvents' ${MAX_ENTRY_BYTES}`));
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => void this.#flush());
      this.#pending.push({ entry, size, resolve, reject });
    });
  }

  /** The calls go one after another, so entries reach the bus in the order they were published. */
  async #flush() {
    const pending = this.#pending;
    this.#pending = [];
    const calls: Pending[][] = [];
    let bytes = 0;
    for (const item of pending) {
      const call = calls.at(-1);
      if (call === undefined || call.length === MAX_ENTRIES_PER_CALL || bytes + item.size > MAX_ENTRY_BYTES) {
        calls.push([item]);
        bytes = item.size;
      } else {
        call.push(item);
        bytes += item.size;
      }
    }
    for (const call of calls) await this.#put(call);
  }

  async #put(call: Pending[]) {
    let remaining = call;
    for (let attempt = 1; ; attempt += 1) {
      let failed: { item: Pending; reason: string }[];
      try {
        const { Entries = [] } = await this.#options.send(remaining.map((item) => item.entry));
        failed = [];
        remaining.forEach((item, index) => {
          const result = Entries[index];
          if (result?.EventId !== undefined && result.ErrorCode === undefined) item.resolve();
          else failed.push({ item, reason: result?.ErrorCode === undefined ? 'no result for the entry' : `${result.ErrorCode}: ${result.ErrorMessage ?? ''}` });
        });
      } catch (error) {
        failed = remaining.map((item) => ({ item, reason: (error as Error).message }));
      }
      if (failed.length === 0) return;
      if (attempt >= this.#options.maxAttempts) {
        for (const { item, reason } of failed) item.reject(new Error(`PutEvents failed ${attempt} times: ${reason}`));
        return;
      }
      this.#options.onRetry?.(failed.length, failed[0]!.reason);
      // Full jitter: entries throttled together should not all come back at once.
      const { signal } = this.#options;
      const stopped = await sleep(Math.random() * this.#options.baseDelayMs * 2 ** (attempt - 1), false, { signal }).catch(() => true);
      if (stopped) {
        for (const { item, reason } of failed)
          item.reject(new Error(`publishing stopped after PutEvents failed ${attempt === 1 ? 'once' : `${attempt} times`}: ${reason}`));
        return;
      }
      remaining = failed.map(({ item }) => item);
    }
  }
}
