/**
 * Which actors this writer sees acting fast (docs/key-design.md#spread): an actor with `threshold`
 * events within `windowMs` is wide on this writer for `stickyMs`, and its events then go to its wide
 * actor keys. The decision only ever sets the `byActor` index's key, never the table's, so writers
 * may disagree and a retry may be decided otherwise: exactly-once does not depend on it. A false
 * positive costs reads (that account's listings read 72 keys instead of 8), never writes.
 */
export interface ActorHeatOptions {
  /**
   * Events of one actor within the window that make it wide. A receiver instance sees a share of the
   * traffic (a 5,000/s bot over 345 instances is ~15/s on each): 3. A writer that sees all of it (the
   * drain, the migration's copy, the indexer) needs far more, or every active person would spread:
   * 400, about 200 a second.
   */
  readonly threshold: number;
  /** @default 2000 */
  readonly windowMs?: number;
  /** How long an actor stays wide once it was: its keys stay where its listing reads them. @default 600000 */
  readonly stickyMs?: number;
  /** Actors tracked at once; the least recently seen is forgotten first. @default 10000 */
  readonly maxTracked?: number;
}

/** A receiver instance's threshold: it sees 1/N of the traffic. */
export const RECEIVER_HEAT_THRESHOLD = 3;
/** The threshold of a writer that sees all of the traffic (the drain, the copy, the indexer). */
export const WHOLE_TRAFFIC_HEAT_THRESHOLD = 400;

export class ActorHeat {
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #stickyMs: number;
  readonly #maxTracked: number;
  /** Recent event times per actor, in insertion order of last sight (a Map keeps it): the LRU. */
  readonly #recent = new Map<string, number[]>();
  readonly #wideUntil = new Map<string, number>();

  constructor(options: ActorHeatOptions) {
    this.#threshold = options.threshold;
    this.#windowMs = options.windowMs ?? 2_000;
    this.#stickyMs = options.stickyMs ?? 600_000;
    this.#maxTracked = options.maxTracked ?? 10_000;
    for (const [name, value] of Object.entries({
      threshold: this.#threshold,
      windowMs: this.#windowMs,
      stickyMs: this.#stickyMs,
      maxTracked: this.#maxTracked,
    })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`ActorHeat: ${name} must be a whole number >= 1`);
    }
  }

  /** Counts one event of `actor` at `now` and says whether the actor is wide on this writer. */
  observe(actor: string, now: number): boolean {
    const until = this.#wideUntil.get(actor);
    if (until !== undefined) {
      if (until > now) return true;
      this.#wideUntil.delete(actor);
    }
    const times = (this.#recent.get(actor) ?? []).filter((time) => time > now - this.#windowMs);
    times.push(now);
    this.#recent.delete(actor);
    if (times.length >= this.#threshold) {
      this.#wideUntil.set(actor, now + this.#stickyMs);
      this.#forgetOldest(this.#wideUntil);
      return true;
    }
    this.#recent.set(actor, times);
    this.#forgetOldest(this.#recent);
    return false;
  }

  /** How many actors are tracked, wide ones included: bounded by maxTracked each. */
  get tracked(): number {
    return this.#recent.size + this.#wideUntil.size;
  }

  #forgetOldest(map: Map<string, unknown>) {
    while (map.size > this.#maxTracked) map.delete(map.keys().next().value as string);
  }
}
