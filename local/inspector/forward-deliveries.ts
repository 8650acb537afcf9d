/**
 * What became of each stored event's forwarding (IM_FORWARD_URL), for the inspector to show beside
 * it, as `stripe listen --forward-to` shows each delivery's answer. The inspector reads the port,
 * `deliveriesOf(eventId)`; whatever forwards (the change log's forward consumer, local/forward-publisher.ts, through its
 * `onAttempt`) writes `record(attempt)`. Kept in memory, bounded: the newest events' records.
 */

/** One try at delivering an event to a target. */
export interface DeliveryAttempt {
  readonly eventId: string;
  /** Where it was sent (the forward URL). */
  readonly target: string;
  /** Epoch ms: when the try ended. */
  readonly at: number;
  /** Whether the target took it (2xx). */
  readonly ok: boolean;
  /** What came back: `HTTP 200`, `HTTP 503`, or why nothing did (`connect ECONNREFUSED …`, a timeout). */
  readonly result: string;
}

/** An event's deliveries to one target so far. */
export interface Delivery {
  readonly target: string;
  readonly state: 'delivered' | 'retrying';
  readonly attempts: number;
  readonly firstAttemptAt: number;
  readonly lastAttemptAt: number;
  readonly lastResult: string;
  readonly deliveredAt?: number;
}

/** The port the inspector reads. */
export interface ForwardDeliveries {
  deliveriesOf(eventId: string): readonly Delivery[];
  /** Told of each change, so the page's rows follow without asking. */
  onChange(listener: (eventId: string, deliveries: readonly Delivery[]) => void): void;
}

/** How many events' records are kept: far more than the page shows. */
export const MAX_EVENTS_TRACKED = 10_000;

export class DeliveryRecords implements ForwardDeliveries {
  readonly #byEvent = new Map<string, Map<string, Delivery>>();
  readonly #listeners: ((eventId: string, deliveries: readonly Delivery[]) => void)[] = [];

  /** What a forwarder calls after each try. */
  readonly record = (attempt: DeliveryAttempt): void => {
    let targets = this.#byEvent.get(attempt.eventId);
    if (targets === undefined) {
      targets = new Map();
      this.#byEvent.set(attempt.eventId, targets);
      if (this.#byEvent.size > MAX_EVENTS_TRACKED) this.#byEvent.delete(this.#byEvent.keys().next().value!);
    }
    const before = targets.get(attempt.target);
    targets.set(attempt.target, {
      target: attempt.target,
      state: attempt.ok ? 'delivered' : 'retrying',
      attempts: (before?.attempts ?? 0) + 1,
      firstAttemptAt: before?.firstAttemptAt ?? attempt.at,
      lastAttemptAt: attempt.at,
      lastResult: attempt.result,
      ...(attempt.ok ? { deliveredAt: attempt.at } : {}),
    });
    const deliveries = [...targets.values()];
    for (const listener of this.#listeners) listener(attempt.eventId, deliveries);
  };

  deliveriesOf(eventId: string): readonly Delivery[] {
    return [...(this.#byEvent.get(eventId)?.values() ?? [])];
  }

  onChange(listener: (eventId: string, deliveries: readonly Delivery[]) => void): void {
    this.#listeners.push(listener);
  }
}
