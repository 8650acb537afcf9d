import type { StoredEvent } from '../../functions/store/event-store.ts';
import { type CapturedCallbacks, MAX_KEPT_BYTES, MAX_REPLAYABLE_BYTES, storedCallback } from './captured-callbacks.ts';
import { type DeployedEvent, deployedCallback } from './deployed-events.ts';
import type { DeployedCallback, StoredCallback } from './inspector-types.ts';
import type { OutgoingCallback } from './tencent-request.ts';

export interface ReplayStoreOptions {
  /** How many requests of table and deployed events are kept, as many as the captured callbacks (keptCount). */
  readonly keep: number;
  /** The callbacks this process answered: their requests are kept there. */
  readonly captured: Pick<CapturedCallbacks, 'outgoing'>;
  /** The callback port, for the curl of a row. */
  readonly port: () => number;
  /** Whether a token is set, so a curl signs. */
  readonly signed: () => boolean;
}

/**
 * What a replay sends, by a row's id: a callback this process answered (CapturedCallbacks keeps it), or
 * an event read back from the table or published by a deployed receiver, kept here as Tencent would
 * send it. Those are bounded like the captured ones, in count and in bytes, and a body too large to
 * replay is not kept.
 */
export class ReplayStore {
  readonly #options: ReplayStoreOptions;
  readonly #fromTable = new Map<string, OutgoingCallback>();
  #bytes = 0;

  constructor(options: ReplayStoreOptions) {
    this.#options = options;
  }

  /** An event from the table as a row of the page; its request is kept for a replay. */
  fromTable(event: StoredEvent): StoredCallback {
    const { shown, outgoing } = storedCallback(event, this.#options.port(), this.#options.signed());
    this.#keep(shown.id, shown.replayable, outgoing);
    return shown;
  }

  /** An event a deployed receiver published (listen brought it) as a row of the page; its request is kept for a replay. */
  fromBus(envelope: DeployedEvent): DeployedCallback {
    const { shown, outgoing } = deployedCallback(envelope, this.#options.port(), this.#options.signed());
    this.#keep(shown.id, shown.replayable, outgoing);
    return shown;
  }

  #keep(id: string, replayable: boolean, outgoing: OutgoingCallback) {
    if (replayable && outgoing.body.length <= MAX_REPLAYABLE_BYTES && !this.#fromTable.has(id)) {
      this.#fromTable.set(id, outgoing);
      this.#bytes += outgoing.body.length;
    }
    while (this.#fromTable.size > this.#options.keep || this.#bytes > MAX_KEPT_BYTES) {
      const [oldest, dropped] = this.#fromTable.entries().next().value!;
      this.#fromTable.delete(oldest);
      this.#bytes -= dropped.body.length;
    }
  }

  /** What a replay of the row sends, while it is kept. */
  outgoing(id: string): OutgoingCallback | undefined {
    return this.#options.captured.outgoing(id) ?? this.#fromTable.get(id);
  }
}
