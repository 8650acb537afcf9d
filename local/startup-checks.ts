/**
 * The ways local mode can fail to start on this machine's state rather than on a setting's syntax
 * (local-settings.ts checks that): a port in use, a data folder that cannot hold the store, a
 * DynamoDB endpoint that does not answer. Each becomes a UsageError that names the environment
 * variable and says what to do, instead of a Node stack trace (or, for LevelDB, an uncaught
 * "Database is closed" from inside dynalite).
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../cli/fail.ts';
import { networkErrorCode } from '../cli/network-errors.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, secureDataDir } from './data-dir.ts';

const codeOf = (error: unknown) => (error as { code?: string } | undefined)?.code;

/** Listens on host:port (127.0.0.1 unless HOST says otherwise); a refusal names `setting` (PORT, DYNAMODB_PORT). */
export async function listenOn(server: Server, port: number, setting: string, host = '127.0.0.1'): Promise<void> {
  try {
    await new Promise<void>((done, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        done();
      });
    });
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EADDRINUSE') {
      throw new UsageError(
        `${setting}=${port}: port ${port} on ${host} is already in use (another npm start?).\nStop what uses it, or set ${setting} to a free port (0 picks one).`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') {
      throw new UsageError(`HOST=${host}: this machine cannot listen on that address (${code}).\nSet HOST to 127.0.0.1 (the default) or 0.0.0.0.`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UsageError(
        `${setting}=${port}: not allowed to listen on port ${port} (ports below 1024 need privileges).\nSet ${setting} to a port from 1024 to 65535, or 0 for any free one.`,
      );
    }
    throw error;
  }
}

const notAFolder = (dataDir: string, what: string) =>
  new UsageError(`DATA_DIR=${dataDir}: ${what} is a file, not a folder.\nSet DATA_DIR to a folder (it is created if missing), or move the file away.`);

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir retries forever where a parent answers every
 * new name with ENOENT, as /proc does: `DATA_DIR=/proc/nope` spun at 100% CPU, silent (issue 22).
 */
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let current = resolve(path); !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing) mkdirSync(folder, { mode: PRIVATE_DIR_MODE });
}

/** DATA_DIR is a folder this process can write to, created if need be and made its owner's only (data-dir.ts). */
export function checkDataDir(dataDir: string): void {
  try {
    makeFolders(dataDir);
    if (!statSync(dataDir).isDirectory()) throw notAFolder(dataDir, resolve(dataDir));
    // As root, access() says yes to everything: a file written is the only proof.
    const probe = join(dataDir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '', { mode: PRIVATE_FILE_MODE });
    rmSync(probe);
    secureDataDir(dataDir);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = codeOf(error);
    if (code === 'EEXIST') throw notAFolder(dataDir, resolve(dataDir));
    if (code === 'ENOTDIR') throw notAFolder(dataDir, `a folder above ${resolve(dataDir)}`);
    if (code === 'ENOENT') {
      const path = (error as { path?: string }).path ?? resolve(dataDir);
      throw new UsageError(`DATA_DIR=${dataDir}: cannot create ${path} (ENOENT): no folder can be made there.\nSet DATA_DIR to another folder.`);
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new UsageError(
        `DATA_DIR=${dataDir}: ${resolve(dataDir)} is not writable (${code}).\nSet DATA_DIR to a folder you can write to, or change its permissions.`,
      );
    }
    throw new UsageError(`DATA_DIR=${dataDir}: cannot use ${resolve(dataDir)} (${(error as Error).message}).\nSet DATA_DIR to another folder.`);
  }
}

interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}
// dynalite's own LevelDB module, resolved from dynalite, so the probe opens the data as dynalite will.
const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as {
  Level: new (location: string) => LevelDatabase;
};

/**
 * Makes sure the embedded store can keep its data in `dataDir/store`: dynalite opens LevelDB in the
 * background and throws, uncaught, when that fails, so the same open is tried here first.
 */
export async function prepareDataDir(dataDir: string, store: string): Promise<void> {
  checkDataDir(dataDir);
  const database = new Level(store);
  try {
    await database.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new UsageError(
        `DATA_DIR=${dataDir}: its store is open in another process (another npm start?).\nStop that process, or set DATA_DIR to another folder.`,
      );
    }
    if (cause?.code === 'EEXIST' || cause?.code === 'ENOTDIR') throw notAFolder(dataDir, resolve(store));
    throw new UsageError(
      `DATA_DIR=${dataDir}: the store in ${resolve(store)} cannot be opened (${cause?.message ?? (error as Error).message}).\nSet DATA_DIR to another folder, or remove that one if its data can go.`,
    );
  }
  await database.close();
}

/** Connecting creates the tables if need be (tens of milliseconds on DynamoDB Local once its JVM is up): far within this. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Connects to the DynamoDB API at `endpoint` (named by `setting`); when nothing answers there, or
 * something that never replies (the SDK has no timeout of its own), says so and what to do.
 */
export async function reachStore<Store>(setting: string, endpoint: string, connect: (endpoint: string) => Promise<Store>): Promise<Store> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UsageError(`${setting}=${endpoint}: no answer from there in ${ANSWER_TIMEOUT_MS / 1000} s.\n${whatToDo(setting)}`)),
      ANSWER_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([connect(endpoint), silence]);
  } catch (error) {
    const code = networkErrorCode(error);
    if (code !== undefined) throw new UsageError(`${setting}=${endpoint}: no DynamoDB API answers there (${code}).\n${whatToDo(setting)}`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const whatToDo = (setting: string) => `Start it (e.g. DynamoDB Local) first, or unset ${setting} to use the embedded store.`;
