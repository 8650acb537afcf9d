import type { EventFallback, EventStore, PutOutcome, StoredEvent } from './event-store.ts';

export type KeepOutcome = PutOutcome | 'queued';

export interface FallbackEventStoreOptions {
  /** The table. */
  readonly store: EventStore;
  /** Where an event goes when the table fails or is too slow. */
  readonly fallback: EventFallback;
  /**
   * How long the table may take before the event goes to the fallback instead, in ms (settings.ts,
   * writeBudgetMs). Tencent waits 2 s for the whole answer.
   */
  readonly writeBudgetMs: number;
}

/**
 * Nothing acknowledged is lost: an event goes to the table, or, when the table fails or overruns its
 * budget (throttling, an outage, a timeout), to the fallback, which brings it to the table later.
 * Only when both fail does `keep` reject, so the callback is not acknowledged.
 */
export class FallbackEventStore {
  readonly #store: EventStore;
  readonly #fallback: EventFallback;
  readonly #writeBudgetMs: number;

  constructor(options: FallbackEventStoreOptions) {
    this.#store = options.store;
    this.#fallback = options.fallback;
    this.#writeBudgetMs = options.writeBudgetMs;
    if (!Number.isInteger(this.#writeBudgetMs) || this.#writeBudgetMs < 1)
      throw new TypeError('FallbackEventStore: writeBudgetMs must be a positive whole number');
  }

  async keep(event: StoredEvent): Promise<KeepOutcome> {
    // Computed once and carried: the drain writes where this attempt would have (kept-event.ts).
    const key = this.#store.keyOf(event);
    try {
      return (await this.#store.put(event, { key, signal: AbortSignal.timeout(this.#writeBudgetMs) })).outcome;
    } catch (storeError) {
      try {
        await this.#fallback.keep(event, key);
        return 'queued';
      } catch (fallbackError) {
        throw new AggregateError([storeError, fallbackError], `event ${event.eventId}: neither the table nor the fallback took it`);
      }
    }
  }
}
