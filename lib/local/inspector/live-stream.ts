import type { ServerResponse } from 'node:http';
import { securityHeaders } from './guard.ts';

/** A comment line now and then keeps idle proxies and the browser from timing the stream out. */
const HEARTBEAT_MS = 15_000;

/**
 * The live list's server-sent events: every open page gets each callback as it is answered. A page
 * that connects (or reconnects) first gets what is kept in memory, so nothing falls between its
 * first look and the stream.
 */
export class LiveStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor() {
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) client.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    // The stream never keeps the process alive on its own.
    this.#heartbeat.unref();
  }

  open(response: ServerResponse, backlog: readonly { readonly event: string; readonly data: unknown }[]): void {
    response.writeHead(200, { ...securityHeaders, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    response.write('retry: 2000\n\n');
    for (const { event, data } of backlog) response.write(frame(event, data));
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  send(event: string, data: unknown): void {
    const text = frame(event, data);
    for (const client of this.#clients) client.write(text);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

/** JSON never holds a raw newline, so one `data:` line carries the whole value. */
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
