import { CALLBACK_PATH, type CallbackEvent, type CallbackResult } from '../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../functions/callback/callback-record.ts';
import { isRegisteredCommand } from '../../functions/commands/registry.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { isWhole, type ReceivedBody } from '../http-adapter.ts';
import type { InspectedCallback, LiveCallback, StoredCallback } from './inspector-types.ts';
import { curlOf, ORIGIN_HEADER, type OutgoingCallback, tencentQuery } from './tencent-request.ts';

/**
 * How many callbacks are kept in memory, and how many bytes they may hold in all: bodies, and every
 * text made of them (the body shown, the curl, the record, the answer), counted as V8 may hold them.
 * MAX_KEPT is also the most a `keep` option may ask for (keptCount).
 */
export const MAX_KEPT = 500;
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;
/** A body past this is kept as a preview only (cut short, not replayable): a few would push out all the rest. */
export const MAX_REPLAYABLE_BYTES = 8 * 1024 * 1024;
/**
 * What is kept of the body of a refused request (any 4xx): a stranger's bytes, which nobody needs to
 * replay, and which cost nothing to send (no SDKAppID or token is needed to be refused).
 */
export const MAX_REFUSED_BODY_BYTES = 4 * 1024;
/** What the page is sent of a body: past this, the detail pane says it was cut. */
export const MAX_SHOWN_CHARS = 256 * 1024;

const redact = (query: OutgoingCallback['query']) =>
  query.map(([name, value]): [string, string] => [name, name.toLowerCase() === 'sign' ? '[redacted]' : value]);

/** Headers that carry credentials: shown as redacted (Tencent sends none; a tool or a proxy might). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
/** How many headers a row keeps, and how much of each: node:http takes 16 KB of them at most anyway. */
const MAX_HEADERS = 100;
const MAX_HEADER_CHARS = 1024;

/** The request's headers as received, in order, credentials redacted. */
export const shownHeaders = (headers: Readonly<Record<string, string | undefined>>): [string, string][] =>
  Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .slice(0, MAX_HEADERS)
    .map(([name, value]) => [name, SECRET_HEADERS.has(name) ? '[redacted]' : value.slice(0, MAX_HEADER_CHARS)]);

/**
 * What a bulk load may not push out: the newest callback of each registered command (and of every
 * other request, together), so a thousand of one command leave the one refusal of another in view.
 */
const protectionKey = (shown: InspectedCallback) => {
  const command = shown.record.command;
  return command !== undefined && isRegisteredCommand(command) ? command : '(other)';
};

/** Bytes a string may take in V8 (two a character, in the worst case). */
const textBytes = (text: string) => 2 * text.length;

/** What a row holds in memory: its body's bytes, and every text it carries (the JSON the page is sent holds them all). */
const heldBytes = (shown: InspectedCallback, kept: Buffer) => kept.length + textBytes(JSON.stringify(shown));

interface Kept {
  readonly shown: InspectedCallback;
  readonly outgoing: OutgoingCallback;
  readonly bytes: number;
}

/** How much of a body is kept, by how it was answered: a refused one's head, or all of it up to a limit. */
function keptOf(body: ReceivedBody, status: number): { bytes: Buffer; cut?: string } {
  const refused = status >= 400 && status < 500;
  const limit = refused ? MAX_REFUSED_BODY_BYTES : MAX_REPLAYABLE_BYTES;
  if (isWhole(body) && body.size <= limit) return { bytes: body.bytes };
  const cut = refused
    ? `the request was refused (HTTP ${status}): only the first ${MAX_REFUSED_BODY_BYTES} bytes of its body are kept`
    : `the body is over ${MAX_REPLAYABLE_BYTES} bytes: only its first ${MAX_SHOWN_CHARS} bytes are kept`;
  // A copy: a view would hold on to all of the body it was cut from.
  return { bytes: Buffer.from(body.bytes.subarray(0, refused ? MAX_REFUSED_BODY_BYTES : MAX_SHOWN_CHARS)), cut };
}

/** A `keep` option checked: a whole number from 1 to MAX_KEPT, MAX_KEPT when not given. */
export function keptCount(keep: number | undefined): number {
  const count = keep ?? MAX_KEPT;
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_KEPT)) throw new RangeError(`keep must be a whole number of callbacks from 1 to ${MAX_KEPT}`);
  return count;
}

export interface CaptureOptions {
  /** How many callbacks are kept (keptCount): fewer than MAX_KEPT only where a test proves the bound. */
  readonly keep: number;
  readonly port: () => number;
  readonly signed: () => boolean;
  /** Told of each callback once it is answered. */
  readonly onCaptured: (callback: InspectedCallback) => void;
  /** Told whenever what is kept changed (the file that outlives the process follows). */
  readonly onChange?: () => void;
}

/**
 * The last few hundred callbacks answered: the request (for a replay), the answer and the record.
 * The record comes through the chain's `log` and the answer from the handler, for the same request
 * id; whichever comes second completes the pair. Bounded in count and in bytes, every byte counted
 * (docs/local.md#inspector); the newest of each command outlives a bulk load of another. What an
 * earlier run kept comes back through `restore`.
 */
export class CapturedCallbacks {
  readonly #options: CaptureOptions;
  readonly #kept = new Map<string, Kept>();
  /** The newest kept id of each protection key (protectionKey). */
  readonly #newest = new Map<string, string>();
  readonly #records = new Map<string, CallbackRecord>();
  #keptBytes = 0;

  constructor(options: CaptureOptions) {
    this.#options = options;
  }

  /** The chain's log, tapped: the record waits for its answer. */
  record(record: CallbackRecord): void {
    // With the DEBUG level a record carries the body: the row has it already.
    const { payload: _payload, ...rest } = record;
    this.#records.set(record.requestId, rest);
    // A record whose answer never comes (the client went away) must not stay forever.
    if (this.#records.size > 1000) this.#records.delete(this.#records.keys().next().value!);
  }

  /** The local server's tap, once the handler answered. */
  answered(event: CallbackEvent, body: ReceivedBody, result: CallbackResult): void {
    const { requestId, timeEpoch, http } = event.requestContext;
    const record = this.#records.get(requestId);
    this.#records.delete(requestId);
    const status = result.statusCode ?? 200;
    const { bytes, cut } = keptOf(body, status);
    const outgoing: OutgoingCallback = {
      method: http.method,
      path: event.rawPath,
      query: [...new URLSearchParams(event.rawQueryString)],
      body: bytes,
      origin: `replay of ${requestId}`,
    };
    // The stack is for the terminal: the record's error keeps its name and message here. A record
    // that never came (its wait was cut short) is told as a failure of unknown cause.
    const missing: CallbackRecord = {
      level: 'ERROR',
      outcome: 'failed',
      status: result.statusCode ?? 500,
      durationMs: Date.now() - timeEpoch,
      coldStart: false,
      requestId,
    };
    const { error, ...fields } = record ?? missing;
    const text = bytes.toString('utf8', 0, Math.min(bytes.length, 4 * MAX_SHOWN_CHARS));
    const shown: LiveCallback = {
      id: requestId,
      source: 'live',
      at: timeEpoch,
      method: outgoing.method,
      path: outgoing.path,
      query: redact(outgoing.query),
      headers: shownHeaders(event.headers),
      body: text.slice(0, MAX_SHOWN_CHARS),
      bodyClipped: cut !== undefined || text.length > MAX_SHOWN_CHARS,
      bodyBytes: body.size,
      ...(cut === undefined ? {} : { cut }),
      answer: { status, body: String(result.body ?? '') },
      record: { ...fields, ...(error ? { error: `${error.name}: ${error.message}` } : {}) },
      ...(event.headers[ORIGIN_HEADER] ? { origin: event.headers[ORIGIN_HEADER].slice(0, 100) } : {}),
      replayable: cut === undefined,
      curl: curlOf(this.#options.port(), outgoing, this.#options.signed(), body.size),
    };
    this.#keep(requestId, { shown, outgoing, bytes: heldBytes(shown, bytes) });
    this.#options.onCaptured(shown);
  }

  #keep(id: string, kept: Kept) {
    this.#kept.set(id, kept);
    this.#keptBytes += kept.bytes;
    this.#newest.set(protectionKey(kept.shown), id);
    while (this.#kept.size > this.#options.keep || this.#keptBytes > MAX_KEPT_BYTES) this.#drop(this.#oldestUnprotected() ?? this.#kept.keys().next().value!);
    this.#options.onChange?.();
  }

  /** The oldest kept that is not the newest of its command: at most one per command is passed over. */
  #oldestUnprotected(): string | undefined {
    for (const [id, kept] of this.#kept) if (this.#newest.get(protectionKey(kept.shown)) !== id) return id;
    return undefined;
  }

  #drop(id: string) {
    const dropped = this.#kept.get(id)!;
    this.#kept.delete(id);
    this.#keptBytes -= dropped.bytes;
    const key = protectionKey(dropped.shown);
    if (this.#newest.get(key) === id) this.#newest.delete(key);
  }

  /** What is kept, oldest first, for the file that outlives the process (kept-file.ts). */
  entries(): { readonly shown: LiveCallback; readonly outgoing: OutgoingCallback }[] {
    return [...this.#kept.values()].map(({ shown, outgoing }) => ({ shown: shown as LiveCallback, outgoing }));
  }

  /** Callbacks an earlier run kept, oldest first: shown as before, their curls made for this port. */
  restore(entries: readonly { readonly shown: LiveCallback; readonly outgoing: OutgoingCallback }[]): void {
    for (const { shown, outgoing } of entries) {
      if (this.#kept.has(shown.id)) continue;
      const again: LiveCallback = { ...shown, earlier: true, curl: curlOf(this.#options.port(), outgoing, this.#options.signed(), shown.bodyBytes) };
      this.#keep(shown.id, { shown: again, outgoing, bytes: heldBytes(again, outgoing.body) });
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
export function storedCallback(event: StoredEvent, port: number, signed: boolean): { shown: StoredCallback; outgoing: OutgoingCallback } {
  const id = `event:${event.eventId}`;
  const text = event.payload;
  const outgoing: OutgoingCallback = {
    method: 'POST',
    path: CALLBACK_PATH,
    query: tencentQuery(event.sdkAppId, event.command, event.clientIp, event.optPlatform),
    body: Buffer.from(text),
    origin: `replay of ${id}`,
  };
  const { payload: _payload, ...fields } = event;
  const shown: StoredCallback = {
    id,
    source: 'stored',
    at: event.receivedAt,
    method: outgoing.method,
    path: outgoing.path,
    query: redact(outgoing.query),
    body: text.slice(0, MAX_SHOWN_CHARS),
    bodyClipped: text.length > MAX_SHOWN_CHARS,
    bodyBytes: outgoing.body.length,
    record: { outcome: 'stored', ...fields },
    replayable: outgoing.body.length <= MAX_REPLAYABLE_BYTES,
    curl: curlOf(port, outgoing, signed),
  };
  return { shown, outgoing };
}
