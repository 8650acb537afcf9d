import type { StoredEvent } from '../functions/store/event-store.ts';
import { eventBridgeEnvelope } from './forward-envelope.ts';
import { ForwardOutbox } from './forward-outbox.ts';
import type { DeliveryAttempt } from './inspector/forward-deliveries.ts';
import type { StoredEventListener } from './notifying-store.ts';

export interface EventForwarderOptions {
  /** Where each event is POSTed (IM_FORWARD_URL). Required. */
  readonly url: string;
  /** Where the outbox lives; omitted, it is in memory only and lost with the process (tests). */
  readonly dir?: string;
  /** The first wait after a failed delivery, doubled each time (with jitter). @default 200 */
  readonly initialDelayMs?: number;
  /** The longest wait between two tries. @default 30000 */
  readonly maxDelayMs?: number;
  /** How long one POST may take before it counts as failed. @default 10000 */
  readonly timeoutMs?: number;
  /** Told when deliveries start failing and when they recover. @default a line on stdout/stderr */
  readonly log?: (line: string) => void;
  /** Told of each try, for the inspector's view of an event's deliveries (inspector/forward-deliveries.ts). @default nobody */
  readonly onAttempt?: (attempt: DeliveryAttempt) => void;
}

/**
 * `npm start`'s stand-in for the bus: each stored after-event, POSTed as the event EventBridge would
 * deliver (forward-envelope.ts). The listener appends it to a durable outbox synchronously, inside
 * the store's put, before the callback is answered: whatever Tencent was told is stored is also in
 * the outbox, whether the process then stops, is killed or the target is down. One delivery at a
 * time, oldest first, so each group's events arrive in storage order; a failure (no answer, not 2xx,
 * a timeout) is retried with backoff, forever, and holds back the events after it.
 */
export class EventForwarder {
  readonly url: string;
  readonly #outbox: ForwardOutbox;
  readonly #options: Required<Omit<EventForwarderOptions, 'dir'>>;
  readonly #closing = new AbortController();
  /** Ends the wait for a first event; new events do not cut a backoff short, or an outage would be hammered. */
  #idle: (() => void) | undefined;
  /** Ends a backoff early, on close. */
  #backoff: (() => void) | undefined;
  readonly #running: Promise<void>;

  constructor(options: EventForwarderOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`the forward URL must be http(s), not ${options.url}`);
    this.url = options.url;
    this.#options = { initialDelayMs: 200, maxDelayMs: 30_000, timeoutMs: 10_000, log: (line) => console.log(line), onAttempt: () => undefined, ...options };
    this.#outbox = new ForwardOutbox(options.dir);
    this.#running = this.#run();
  }

  /** For notifyingStore: runs inside the put, so it returns only once the event is on disk. */
  readonly listener: StoredEventListener = (event: StoredEvent) => {
    this.#outbox.append(JSON.stringify(eventBridgeEnvelope(event)));
    this.#idle?.();
  };

  /** How many events wait to be delivered. */
  pending(): number {
    return this.#outbox.pending();
  }

  /** Stops delivering (a POST under way is abandoned, so redelivered at the next start); the outbox stays. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#idle?.();
    this.#backoff?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { initialDelayMs, maxDelayMs, log } = this.#options;
    let delay = initialDelayMs;
    let failingSince: number | undefined;
    while (!this.#closing.signal.aborted) {
      const next = this.#outbox.peek();
      if (next === undefined) {
        await new Promise<void>((resolve) => (this.#idle = resolve));
        this.#idle = undefined;
        continue;
      }
      const { failure, result } = await this.#deliver(next);
      this.#told(next, failure === undefined, result);
      if (failure === undefined) {
        this.#outbox.ack();
        if (failingSince !== undefined)
          log(`Forwarding to ${this.url} works again after ${Math.round((Date.now() - failingSince) / 1000)} s; ${this.pending()} waiting`);
        failingSince = undefined;
        delay = initialDelayMs;
        continue;
      }
      if (this.#closing.signal.aborted) break;
      // Said once per outage, not once per try.
      if (failingSince === undefined) log(`Forwarding to ${this.url} failed (${failure}); retrying with backoff, ${this.pending()} waiting`);
      failingSince ??= Date.now();
      await this.#sleep(delay / 2 + (Math.random() * delay) / 2);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }

  /** `failure` undefined when the target took it (2xx), else why not; `result` what came back either way. */
  async #deliver(body: string): Promise<{ failure?: string; result: string }> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      });
      await response.arrayBuffer();
      const result = `HTTP ${response.status}`;
      return response.ok ? { result } : { failure: result, result };
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      const failure = cause?.message ?? (error as Error).message;
      return { failure, result: failure };
    }
  }

  /** Tells onAttempt, by the event id inside the envelope; a close mid-try is no attempt. */
  #told(envelope: string, ok: boolean, result: string) {
    if (this.#closing.signal.aborted) return;
    try {
      const eventId = (JSON.parse(envelope) as { detail?: { eventId?: unknown } }).detail?.eventId;
      if (typeof eventId === 'string') this.#options.onAttempt({ eventId, target: this.url, at: Date.now(), ok, result });
    } catch {
      // Not an envelope of ours: nothing to tell of.
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#backoff = done;
    });
  }
}
