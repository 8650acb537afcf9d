import { CALLBACK_PATH, type CallbackEvent, type CallbackResult } from '../../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../../functions/callback/callback-record.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { payloadText } from '../../../functions/store/stored-payload.ts';
import type { InspectedCallback } from './inspector-types.ts';
import { curlOf, ORIGIN_HEADER, tencentQuery, type OutgoingCallback } from './tencent-request.ts';

/** How many callbacks are kept in memory, and how many of their bytes: enough for a session of work. */
export const MAX_KEPT = 500;
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;
/** A body past this is shown (cut short) but not kept for a replay: a few would push out all the rest. */
export const MAX_REPLAYABLE_BYTES = 8 * 1024 * 1024;
/** What the page is sent of a body: past this, the detail pane says it was cut. */
const MAX_SHOWN_CHARS = 256 * 1024;

const redact = (query: OutgoingCallback['query']) =>
  query.map(([name, value]): [string, string] => [name, name.toLowerCase() === 'sign' ? '[redacted]' : value]);

interface Kept {
  readonly shown: InspectedCallback;
  readonly outgoing: OutgoingCallback;
}

export interface CaptureOptions {
  readonly port: () => number;
  readonly signed: () => boolean;
  /** Told of each callback once it is answered. */
  readonly onCaptured: (callback: InspectedCallback) => void;
}

/**
 * The last few hundred callbacks this process answered: the request (for a replay), the answer and
 * the record. The record comes through the chain's `log` and the answer from the handler, for the
 * same request id; whichever comes second completes the pair.
 */
export class CapturedCallbacks {
  readonly #options: CaptureOptions;
  readonly #kept = new Map<string, Kept>();
  readonly #records = new Map<string, CallbackRecord>();
  #keptBytes = 0;

  constructor(options: CaptureOptions) {
    this.#options = options;
  }

  /** The chain's log, tapped: the record waits for its answer. */
  record(record: CallbackRecord): void {
    this.#records.set(record.requestId, record);
    // A record whose answer never comes (the client went away) must not stay forever.
    if (this.#records.size > 1000) this.#records.delete(this.#records.keys().next().value!);
  }

  /** The local server's tap, once the handler answered. */
  answered(event: CallbackEvent, body: Buffer, result: CallbackResult): void {
    const { requestId, timeEpoch, http } = event.requestContext;
    const record = this.#records.get(requestId);
    this.#records.delete(requestId);
    const outgoing: OutgoingCallback = {
      method: http.method,
      path: event.rawPath,
      query: [...new URLSearchParams(event.rawQueryString)],
      body,
      origin: `replay of ${requestId}`,
    };
    // The stack is for the terminal: the record's error keeps its name and message here.
    const { error, ...fields } = record ?? { outcome: 'failed', status: result.statusCode ?? 500, requestId };
    const text = body.toString('utf8');
    const shown: InspectedCallback = {
      id: requestId,
      source: 'live',
      at: timeEpoch,
      method: outgoing.method,
      path: outgoing.path,
      query: redact(outgoing.query),
      body: text.slice(0, MAX_SHOWN_CHARS),
      bodyClipped: text.length > MAX_SHOWN_CHARS,
      answer: { status: result.statusCode ?? 200, body: String(result.body ?? '') },
      record: { ...fields, ...(error ? { error: `${error.name}: ${error.message}` } : {}) },
      ...(event.headers[ORIGIN_HEADER] ? { origin: event.headers[ORIGIN_HEADER] } : {}),
      replayable: body.length <= MAX_REPLAYABLE_BYTES,
      curl: curlOf(this.#options.port(), outgoing, this.#options.signed()),
    };
    this.#keep(requestId, { shown, outgoing: shown.replayable ? outgoing : { ...outgoing, body: Buffer.alloc(0) } });
    this.#options.onCaptured(shown);
  }

  #keep(id: string, kept: Kept) {
    this.#kept.set(id, kept);
    this.#keptBytes += kept.outgoing.body.length;
    while (this.#kept.size > MAX_KEPT || this.#keptBytes > MAX_KEPT_BYTES) {
      const [oldest, dropped] = this.#kept.entries().next().value!;
      this.#kept.delete(oldest);
      this.#keptBytes -= dropped.outgoing.body.length;
    }
  }

  /** Oldest first, as the live stream replays them to a page that just opened. */
  all(): InspectedCallback[] {
    return [...this.#kept.values()].map((kept) => kept.shown);
  }

  /** What a replay of this callback sends, if it is still kept. */
  outgoing(id: string): OutgoingCallback | undefined {
    const kept = this.#kept.get(id);
    return kept?.shown.replayable ? kept.outgoing : undefined;
  }
}

/** An event read back from the table (or just stored by a spool replay): replayed as Tencent would send it. */
export function storedCallback(event: StoredEvent, port: number, signed: boolean): { shown: InspectedCallback; outgoing: OutgoingCallback } {
  const id = `event:${event.eventId}`;
  const text = payloadText(event);
  const outgoing: OutgoingCallback = {
    method: 'POST',
    path: CALLBACK_PATH,
    query: tencentQuery(event.sdkAppId, event.command, event.clientIp, event.optPlatform),
    body: Buffer.from(text),
    origin: `replay of ${id}`,
  };
  const { payload: _payload, payloadEncoding: _encoding, ...fields } = event;
  const shown: InspectedCallback = {
    id,
    source: 'stored',
    at: event.receivedAt,
    method: outgoing.method,
    path: outgoing.path,
    query: redact(outgoing.query),
    body: text.slice(0, MAX_SHOWN_CHARS),
    bodyClipped: text.length > MAX_SHOWN_CHARS,
    record: { outcome: 'stored', ...fields },
    replayable: true,
    curl: curlOf(port, outgoing, signed),
  };
  return { shown, outgoing };
}
