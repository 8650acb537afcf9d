/**
 * The two DynamoDB implementations the store tests and the bench run against, behind one interface:
 *
 * - `dynalite`: pure Node on LevelDB, in this process (the local mode's store, local/embedded-store.ts).
 * - `dynamodb-local`: AWS's own DynamoDB Local jar, one Java 17 process for the whole run
 *   (test/support/dynamodb-local-process.ts: jest's globalSetup starts it for the tests,
 *   `withDynamoDbLocal` for the bench), reached through a proxy in this process that gives each
 *   server a database of its own.
 *
 * Both can be stopped (connections refused, connections under way cut) and started again on the
 * same port and data, for tests that cut the store off mid-stream. Both listen on 127.0.0.1 only.
 * dynalite starts at once; DynamoDB Local's first answer can take seconds while its JVM starts.
 *
 * No jest import: the bench (bench/state-cost.ts, bench/write-units.ts) starts its servers here, outside
 * jest; test/support/dynamodb-servers.ts re-exports it beside the tests' describeEachKind.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { Agent, createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import { ensureEventsTable, LOCAL_TABLE_NAME, localClient } from '../local/embedded-store.ts';
import {
  claimPort,
  SHARED_ENDPOINT_VARIABLE,
  SHARED_LOG_VARIABLE,
  sharedDynamoDbLocalFailure,
  startDynamoDbLocalProcess,
  stopDynamoDbLocalProcess,
  whyNoDynamoDbLocal,
} from '../test/support/dynamodb-local-process.ts';

export type DynamoDbKind = 'dynalite' | 'dynamodb-local';

export interface DynamoDbServer {
  readonly kind: DynamoDbKind;
  /** http://127.0.0.1:<port>, the same across stop() and start(). */
  readonly endpoint: string;
  /** A document client on the endpoint; the events table (LOCAL_TABLE_NAME) exists. */
  readonly client: DynamoDBDocumentClient;
  /** The server is gone: connections are refused. The data is kept for start(). */
  stop(): Promise<void>;
  /** Starts again on the same port and data dir; resolves once it answers and the table is ACTIVE. */
  start(): Promise<void>;
  /** Stops for good and destroys the client. */
  close(): Promise<void>;
}

export interface StartDynamoDbOptions {
  /**
   * dynalite: where the data lives, on disk; omitted, it lives in memory. Kept across stop() and
   * start() either way. DynamoDB Local keeps its data in memory for the whole run.
   */
  readonly dataDir?: string;
  /** 0 or omitted picks a free port, kept for later start()s. */
  readonly port?: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** How one kind's server is started and stopped; the rest (probe, table, client) is shared. */
interface Engine {
  /** Starts listening on the port (0: a free one); resolves once it is listening. */
  up(port: number): Promise<void>;
  /** Resolves once the port is closed. */
  down(): Promise<void>;
  /** The port it listens on, or last listened on. */
  port(): number;
  /** Why the server died on its own, with its output; undefined while it runs. */
  failure?(): Error | undefined;
  /** Lets go of what outlives down() (connections to DynamoDB Local). */
  close?(): void;
}

/** Listens on 127.0.0.1:port (0: a free one) and resolves with the port taken. */
async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  return (server.address() as AddressInfo).port;
}

function dynaliteEngine(dataDir: string | undefined): Engine {
  let server: Server | undefined;
  let listeningPort = 0;
  return {
    port: () => listeningPort,
    async up(port) {
      const next = dynalite({ path: dataDir, createTableMs: 0 });
      listeningPort = await listenOnLoopback(next, port);
      server = next;
    },
    async down() {
      const current = server;
      if (current === undefined) return;
      server = undefined;
      // close() stops listening at once; it calls back once every connection has ended and LevelDB
      // is closed. The clients' idle keep-alive connections would hold it up: drop them, then any
      // left once their request is answered. Requests under way are let finish, however long a busy
      // machine takes: cut off, dynalite would go on with them and find LevelDB closed under them
      // ("Database is closed", unhandled). Only a hang is cut, after a minute.
      const closed = new Promise<void>((done, fail) => current.close((error) => (error ? fail(error) : done())));
      let open = true;
      void closed.finally(() => (open = false)).catch(() => undefined);
      const dropIdle = setInterval(() => current.closeIdleConnections(), 20);
      const dropAll = setTimeout(() => current.closeAllConnections(), 60_000);
      current.closeIdleConnections();
      try {
        await closed;
      } finally {
        clearInterval(dropIdle);
        clearTimeout(dropAll);
        if (open) current.closeAllConnections();
      }
    },
  };
}

/**
 * The shared DynamoDB Local behind a proxy of this server's own: requests are passed on with the
 * access key in their signature replaced by one of this server's (DynamoDB Local checks no
 * signature, and keeps one database per access key), so tests on other servers, in this file or
 * another worker, never see its tables. Stopping it closes the proxy: connections are refused, and
 * those under way cut, as when the store dies; the data stays in DynamoDB Local for the next start.
 */
function sharedDynamoDbLocalEngine(): Engine {
  const upstream = process.env[SHARED_ENDPOINT_VARIABLE];
  const logFile = process.env[SHARED_LOG_VARIABLE];
  if (upstream === undefined) {
    throw new Error(
      `DynamoDB Local runs once per jest run, started by the compatibility project's globalSetup (test/support/dynamodb-local-setup.ts), and ${SHARED_ENDPOINT_VARIABLE} is not set: run this file through jest.config.js`,
    );
  }
  const target = new URL(upstream);
  // Letters and digits only: DynamoDB Local 2 refuses other access keys.
  const accessKey = `t${process.pid}x${randomBytes(6).toString('hex')}`;
  const agent = new Agent({ keepAlive: true });
  let server: Server | undefined;
  let listeningPort = 0;
  return {
    port: () => listeningPort,
    failure: () => sharedDynamoDbLocalFailure(logFile),
    async up(port) {
      const next = createServer((incoming, outgoing) => {
        const headers = { ...incoming.headers };
        if (headers.authorization !== undefined) headers.authorization = headers.authorization.replace(/Credential=[^/]*\//, `Credential=${accessKey}/`);
        const onward = forward({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers, agent }, (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        // DynamoDB Local not (yet) there: the client sees a broken connection, as from a store that is down.
        onward.once('error', () => outgoing.destroy());
        incoming.pipe(onward);
      });
      listeningPort = await listenOnLoopback(next, port);
      server = next;
    },
    async down() {
      const current = server;
      if (current === undefined) return;
      server = undefined;
      const closed = new Promise<void>((done) => current.close(() => done()));
      current.closeAllConnections();
      await closed;
    },
    close() {
      agent.destroy();
    },
  };
}

/** Waits until the endpoint answers ListTables, or the server dies, or the time is up. */
async function untilAnswering(endpoint: string, engine: Engine, timeoutMs: number) {
  const probe = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    // A JVM's first answer can take many seconds on a busy machine: wait for it, don't retry it.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await probe.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        const failure = engine.failure?.();
        if (failure !== undefined) throw failure;
        if (Date.now() > deadline) throw new Error(`${endpoint} did not answer in ${timeoutMs} ms: ${String(error)}`);
        await sleep(100);
      }
    }
  } finally {
    probe.destroy();
  }
}

/**
 * Starts a DynamoDB implementation on 127.0.0.1 with the events table (LOCAL_TABLE_NAME, the
 * deployment's key design) created.
 */
export async function startDynamoDb(kind: DynamoDbKind, options: StartDynamoDbOptions = {}): Promise<DynamoDbServer> {
  const noJava = kind === 'dynamodb-local' ? whyNoDynamoDbLocal() : undefined;
  if (noJava !== undefined) throw new Error(`DynamoDB Local cannot run here: ${noJava}`);
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined && kind === 'dynalite') mkdirSync(dataDir, { recursive: true });

  const engine = kind === 'dynalite' ? dynaliteEngine(dataDir) : sharedDynamoDbLocalEngine();
  await engine.up(options.port ?? 0);
  const port = engine.port();
  const endpoint = `http://127.0.0.1:${port}`;
  const base = localClient(endpoint);
  const client = documentClient(base);
  let state: 'running' | 'stopped' | 'closed' = 'running';

  const ready = async () => {
    await untilAnswering(endpoint, engine, 90_000);
    await ensureEventsTable(base, LOCAL_TABLE_NAME);
  };
  try {
    await ready();
  } catch (error) {
    await engine.down();
    engine.close?.();
    client.destroy();
    base.destroy();
    throw error;
  }

  return {
    kind,
    endpoint,
    client,
    async stop() {
      if (state === 'closed') throw new Error(`${kind} on ${endpoint} is closed`);
      state = 'stopped';
      await engine.down();
    },
    async start() {
      if (state === 'closed') throw new Error(`${kind} on ${endpoint} is closed`);
      if (state === 'running') return;
      await engine.up(port);
      state = 'running';
      await ready();
    },
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      client.destroy();
      base.destroy();
      await engine.down();
      engine.close?.();
    },
  };
}

/**
 * Runs `work` with the shared DynamoDB Local that startDynamoDb('dynamodb-local') reaches: the one
 * jest's globalSetup started when there is one, else one started here and stopped after `work`, as
 * the globalSetup and globalTeardown do for a test run. For the bench, which runs outside jest.
 */
export async function withDynamoDbLocal<T>(work: () => Promise<T>): Promise<T> {
  if (process.env[SHARED_ENDPOINT_VARIABLE] !== undefined) return work();
  const noJava = whyNoDynamoDbLocal();
  if (noJava !== undefined) throw new Error(`DynamoDB Local cannot run here: ${noJava}`);
  const port = await claimPort(0);
  const logDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
  const logFile = join(logDir, 'output.log');
  const child = startDynamoDbLocalProcess(port, logFile);
  process.env[SHARED_ENDPOINT_VARIABLE] = `http://127.0.0.1:${port}`;
  process.env[SHARED_LOG_VARIABLE] = logFile;
  try {
    return await work();
  } finally {
    delete process.env[SHARED_ENDPOINT_VARIABLE];
    delete process.env[SHARED_LOG_VARIABLE];
    await stopDynamoDbLocalProcess(child, logFile);
  }
}
