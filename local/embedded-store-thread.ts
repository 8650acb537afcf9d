/**
 * The embedded store's thread (embedded-store.ts): dynalite, its LevelDB and the store guard, on a
 * worker thread of their own, so the store's work (parsing each request, LevelDB, its indexes) runs
 * beside the callback server's, on another core, instead of taking turns with it on one event loop
 * (issue 19). Tells the parent {port} once listening, or {error}; on 'close', lets the writes under
 * way land, closes dynalite (and LevelDB) and exits.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { UsageError } from '../cli/fail.ts';
import { listenOn } from './startup-checks.ts';
import { guardStore } from './store-guard.ts';

export interface StoreThreadData {
  /** Where LevelDB keeps the data; undefined, in memory. */
  readonly path: string | undefined;
  readonly port: number;
}

export type StoreThreadMessage = { readonly port: number } | { readonly error: string; readonly usage: boolean } | { readonly closed: true };

/** Far longer than a dynalite write takes (about 1.5 ms). */
const WRITES_GRACE_MS = 100;

const { path, port } = workerData as StoreThreadData;
const parent = parentPort!;
const server = dynalite({ path, createTableMs: 0 });
guardStore(server);
try {
  await listenOn(server, port, 'DYNAMODB_PORT');
  parent.postMessage({ port: (server.address() as AddressInfo).port } satisfies StoreThreadMessage);
} catch (error) {
  parent.postMessage({ error: (error as Error).message, usage: error instanceof UsageError } satisfies StoreThreadMessage);
  process.exit(0);
}
parent.once('message', async () => {
  // A write whose client gave up (the write budget aborted it) still runs inside dynalite, which
  // throws, uncaught, if LevelDB closes under it: give such writes a moment to land first.
  await sleep(WRITES_GRACE_MS);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  parent.postMessage({ closed: true } satisfies StoreThreadMessage);
  parent.close();
});
