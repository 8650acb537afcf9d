import type { ServerResponse } from 'node:http';
import { securityHeaders } from './guard.ts';

/** A comment line now and then keeps idle proxies and the browser from timing the stream out. */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT = ': heartbeat\n\n';

/**
 * What a page that opens is sent of what came before it, at most: the newest callbacks that fit.
 * The page keeps 1000 rows; the rest it reads from the table (routes.stored).
 */
export const MAX_BACKLOG_FRAMES = 500;
export const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
/**
 * A reader that has this much not yet taken off its socket is cut off: it reconnects (the page's
 * EventSource does, after `retry`) and gets the backlog afresh, instead of the process holding all it
 * did not read. Above the backlog's bound, so a page that opens is never cut off for it.
 */
export const MAX_UNSENT_BYTES = 2 * MAX_BACKLOG_BYTES;

/**
 * How long a reader whose stream broke (npm start stopped or restarted) waits before it connects
 * again: the stream's `retry` field, which the page's EventSource takes as its reconnection time.
 */
export const RECONNECT_MS = 2_000;
const MAX_RECONNECT_MS = 60_000;

export interface LiveStreamOptions {
  /** The readers' wait before reconnecting, in ms, 1 to 60,000. Default: RECONNECT_MS. */
  readonly reconnectMs?: number;
}

export interface LiveEvent {
  readonly event: string;
  readonly data: unknown;
}

/**
 * The texts of the newest `items` (given oldest first) that fit in `maxBytes` and `maxCount`, oldest
 * first. Only those are made into text: a long backlog costs what is sent, not what is kept.
 */
export function newestFitting<T>(items: readonly T[], text: (item: T) => string, maxBytes: number, maxCount: number): string[] {
  const texts: string[] = [];
  let bytes = 0;
  for (let index = items.length - 1; index >= 0 && texts.length < maxCount; index--) {
    const next = text(items[index]!);
    bytes += Buffer.byteLength(next);
    if (bytes > maxBytes) break;
    texts.push(next);
  }
  return texts.reverse();
}

/**
 * The live list's server-sent events: every open page gets each callback as it is answered. A page
 * that connects (or reconnects) first gets the newest of what is kept in memory, so nothing falls
 * between its first look and the stream; bounded in bytes and in count, like what any reader may
 * leave unread.
 */
export class LiveStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #retry: string;

  constructor(options: LiveStreamOptions = {}) {
    const reconnectMs = options.reconnectMs ?? RECONNECT_MS;
    if (!(Number.isInteger(reconnectMs) && reconnectMs >= 1 && reconnectMs <= MAX_RECONNECT_MS))
      throw new RangeError(`reconnectMs must be a whole number of milliseconds from 1 to ${MAX_RECONNECT_MS}`);
    this.#retry = `retry: ${reconnectMs}\n\n`;
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) this.#write(client, HEARTBEAT, HEARTBEAT.length);
    }, HEARTBEAT_MS);
    // The stream never keeps the process alive on its own.
    this.#heartbeat.unref();
  }

  open(response: ServerResponse, backlog: readonly LiveEvent[]): void {
    response.writeHead(200, { ...securityHeaders, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    response.write(this.#retry);
    for (const text of newestFitting(backlog, ({ event, data }) => frame(event, data), MAX_BACKLOG_BYTES, MAX_BACKLOG_FRAMES)) response.write(text);
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  /** Whether anyone reads: a sender can skip making what nobody would get. */
  get hasReaders(): boolean {
    return this.#clients.size > 0;
  }

  /** How many read now. */
  get readers(): number {
    return this.#clients.size;
  }

  send(event: string, data: unknown): void {
    if (this.#clients.size === 0) return;
    const text = frame(event, data);
    const bytes = Buffer.byteLength(text);
    for (const client of this.#clients) this.#write(client, text, bytes);
  }

  /** Writes to a reader, unless what it has not taken yet would pass MAX_UNSENT_BYTES: then it is cut off. */
  #write(client: ServerResponse, text: string, bytes: number) {
    if (client.writableLength + bytes > MAX_UNSENT_BYTES) {
      this.#clients.delete(client);
      client.destroy();
      return;
    }
    client.write(text);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

/** JSON never holds a raw newline, so one `data:` line carries the whole value. */
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
