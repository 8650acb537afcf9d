/**
 * A server for the throughput runs, in a process of its own so autocannon (in the parent) and the
 * server do not share an event loop. `receiver`: `npm start`'s receiver (local/local-server.ts)
 * over its embedded in-memory store. `bare`: node:http answering the same JSON and nothing else, the
 * limit of this machine. Sends {"url"} once listening (protocol.ts; stdout carries the receiver's
 * request log); when stdin closes, sends {"stored"}, the events in the store, and exits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { settingsFromEnvironment } from '../functions/shared/settings.ts';
import { LOCAL_TABLE_NAME } from '../local/embedded-store.ts';
import { type LocalReceiver, startLocalReceiver } from '../local/local-server.ts';
import { OK_ANSWER } from './callbacks.ts';
import { sendToParent } from './protocol.ts';
import { countStoredEvents } from './stored-events.ts';

export type ThroughputServerKind = 'receiver' | 'bare';

interface RunningServer {
  readonly url: string;
  /** Counts what was stored, then stops. */
  stop(): Promise<number>;
}

async function startReceiver(): Promise<RunningServer> {
  const receiver: LocalReceiver = await startLocalReceiver({ settings: settingsFromEnvironment(process.env), port: 0, dynamodbPort: 0 });
  return {
    url: new URL(receiver.callbackUrl).origin,
    async stop() {
      const stored = await countStoredEvents(receiver.store.client, LOCAL_TABLE_NAME);
      await receiver.close();
      return stored;
    },
  };
}

async function startBare(): Promise<RunningServer> {
  const server: Server = createServer((request, response) => {
    // Read the body to its end, as any server must before answering on a kept-alive connection.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(OK_ANSWER);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      return 0;
    },
  };
}

const kind = process.argv[2] as ThroughputServerKind;
const server = kind === 'receiver' ? await startReceiver() : kind === 'bare' ? await startBare() : undefined;
if (!server) throw new Error('usage: throughput-server.ts receiver|bare');
sendToParent({ url: server.url });
process.stdin.resume();
process.stdin.on('end', async () => {
  sendToParent({ stored: await server.stop() });
  process.exit(0);
});
