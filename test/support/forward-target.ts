/**
 * Where the local forwarder POSTs (IM_FORWARD_URL) in the tests: an HTTP server that keeps every
 * event it took, answers what `answer` says (200 by default), and can be taken down and brought
 * back up on the same port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

export interface ForwardTarget {
  readonly url: string;
  /** The events answered 2xx, in the order they arrived. */
  readonly received: Record<string, any>[];
  /** Every POST, taken or not. */
  readonly attempts: () => number;
  /** The status to answer the next POST with. */
  answer: (event: Record<string, any>) => number;
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function startForwardTarget(): Promise<ForwardTarget> {
  const received: Record<string, any>[] = [];
  let attempts = 0;
  let server: Server | undefined;
  let port = 0;
  const target: ForwardTarget = {
    url: '',
    received,
    attempts: () => attempts,
    answer: () => 200,
    async up() {
      server = createServer(async (request, response) => {
        const event = JSON.parse(await text(request)) as Record<string, any>;
        attempts += 1;
        const status = target.answer(event);
        if (status >= 200 && status < 300) received.push(event);
        response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    },
    async down() {
      const closing = server;
      server = undefined;
      if (closing === undefined) return;
      closing.closeAllConnections();
      await new Promise((resolve) => closing.close(resolve));
    },
  };
  await target.up();
  return Object.assign(target, { url: `http://127.0.0.1:${port}/events` });
}
