/**
 * A server for the throughput runs, in a process of its own so autocannon (in the parent) and the
 * server do not share an event loop. Sends {"url"} once listening (protocol.ts; stdout carries the
 * receiver's request log); when stdin closes, sends {"stored", "forwarded"} and exits.
 *
 * - `receiver`: `npm start`'s receiver (local/local-server.ts) as `npm start` runs it: the embedded
 *   store, the spool and the change log in a data directory, the synced view on, and forwarding on, to
 *   a bare target in this process (a node:http server that answers 200). At stop it waits until the
 *   view and forwarding have every stored event (`idle()`), then counts what was stored and forwarded.
 * - `bare`: node:http answering the same JSON and nothing else, the limit of this machine.
 * - `append-fsync`: node:http that appends each body to a file and fsyncs it before answering: the
 *   floor for an after-callback, which must be on disk before it is acknowledged (issue 19).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsFromEnvironment } from '../functions/shared/settings.ts';
import { LOCAL_TABLE_NAME } from '../local/embedded-store.ts';
import { type LocalReceiver, startLocalReceiver } from '../local/local-server.ts';
import { OK_ANSWER } from './callbacks.ts';
import { sendToParent } from './protocol.ts';
import { countStoredEvents } from './stored-events.ts';

export const throughputServerKinds = ['receiver', 'bare', 'append-fsync'] as const;
export type ThroughputServerKind = (typeof throughputServerKinds)[number];

interface RunningServer {
  readonly url: string;
  /** Counts what was stored and forwarded, then stops. */
  stop(): Promise<{ stored: number; forwarded: number }>;
}

async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const answerOk = (response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(OK_ANSWER);
};

async function startReceiver(): Promise<RunningServer> {
  let forwarded = 0;
  const target = await listen((request, response) => {
    request.resume();
    request.on('end', () => {
      forwarded += 1;
      response.writeHead(200).end();
    });
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-receiver-'));
  const receiver: LocalReceiver = await startLocalReceiver({
    settings: settingsFromEnvironment(process.env),
    port: 0,
    dynamodbPort: 0,
    dataDir,
    forwardUrl: `${target.url}/events`,
  });
  return {
    url: new URL(receiver.callbackUrl).origin,
    async stop() {
      await receiver.idle();
      const stored = await countStoredEvents(receiver.store.client, LOCAL_TABLE_NAME);
      await receiver.close();
      await close(target.server);
      rmSync(dataDir, { recursive: true, force: true });
      return { stored, forwarded };
    },
  };
}

async function startBare(): Promise<RunningServer> {
  // Read the body to its end, as any server must before answering on a kept-alive connection.
  const { server, url } = await listen((request, response) => {
    request.resume();
    request.on('end', () => answerOk(response));
  });
  return {
    url,
    async stop() {
      await close(server);
      return { stored: 0, forwarded: 0 };
    },
  };
}

async function startAppendFsync(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-append-fsync-'));
  const file = await open(join(dir, 'bodies.jsonl'), 'a');
  let stored = 0;
  const { server, url } = await listen((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      await file.write(Buffer.concat([...chunks, Buffer.from('\n')]));
      await file.datasync();
      stored += 1;
      answerOk(response);
    });
  });
  return {
    url,
    async stop() {
      await close(server);
      await file.close();
      rmSync(dir, { recursive: true, force: true });
      return { stored, forwarded: 0 };
    },
  };
}

const kind = process.argv[2] as ThroughputServerKind;
const starts: Record<ThroughputServerKind, () => Promise<RunningServer>> = { receiver: startReceiver, bare: startBare, 'append-fsync': startAppendFsync };
const server = throughputServerKinds.includes(kind) ? await starts[kind]() : undefined;
if (!server) throw new Error(`usage: throughput-server.ts ${throughputServerKinds.join('|')}`);
sendToParent({ url: server.url });
process.stdin.resume();
process.stdin.on('end', async () => {
  sendToParent(await server.stop());
  process.exit(0);
});
