import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What local mode keeps under DATA_DIR: every stored callback (message content included), so only
 * its owner may read it. Written once here; the modules that write each part take its name from here.
 */
export const dataDirLayout = {
  /** dynalite's LevelDB (embedded-store.ts). */
  store: 'dynalite',
  /** Events waiting for the table (event-spool.ts). */
  spool: 'spool',
  /** The change log: every event the table holds, and each consumer's offset in it (change-log.ts). */
  stream: 'stream',
  /** The forward outbox of versions before the change log, read once at start and removed (legacy-outbox.ts). */
  legacyForward: 'forward',
  /** The inspector's callbacks, kept across restarts (inspector/kept-file.ts). */
  inspector: 'inspector',
  /** Where a running `npm start`'s store listens, for `npm run events` (embedded-store.ts). */
  endpointFile: 'embedded-store.json',
  /** Where a running `npm start` takes callbacks, for `npx tencent-im trigger`, `replay`, `events --follow` (running-receiver.ts). */
  receiverFile: 'receiver.json',
} as const;

/** Folders local mode creates under DATA_DIR (and DATA_DIR): the owner's only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files local mode creates there, given at creation (the umask can only take more away). */
export const PRIVATE_FILE_MODE = 0o600;
/** The group's and others' permission bits: what is taken away from whatever an earlier run left. */
const SHARED_BITS = 0o077;

/** The probe startup-checks.ts writes to prove the folder writable, gone as soon as written. */
const isWriteProbe = (name: string) => name.startsWith('.write-probe-');
const ownEntries = new Set<string>(Object.values(dataDirLayout));

/**
 * Takes the group's and others' permissions away, whatever the umask made of them (chmod is not
 * masked); the owner's stay as they are, so a folder made read-only stays read-only. A path owned by
 * another user (EPERM) is left to its owner.
 */
function restrict(path: string, mode: number): void {
  if ((mode & SHARED_BITS) === 0) return;
  try {
    chmodSync(path, mode & 0o777 & ~SHARED_BITS);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EPERM') throw error;
  }
}

/** A folder local mode creates (as mkdir -p would) under DATA_DIR, the owner's only; made so if it was there already. */
export function privateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrict(path, statSync(path).mode);
}

/** Restricted all the way down; a symbolic link is left alone (and not followed). */
function restrictTree(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined || stat.isSymbolicLink()) return;
  restrict(path, stat.mode);
  if (stat.isDirectory()) for (const name of readdirSync(path)) restrictTree(join(path, name));
}

/**
 * Creates DATA_DIR 0700 and makes what local mode keeps there its owner's only, data of an earlier
 * run (created 0755/0644 under the usual umask) included. Only local mode's own entries are touched:
 * DATA_DIR itself is restricted only when it holds nothing else, so a DATA_DIR pointed at a folder
 * shared with other things (the project, a home folder) keeps its mode, while the store, the spool
 * and the change log in it are private all the same.
 */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const names = readdirSync(dataDir);
  if (names.every((name) => ownEntries.has(name) || isWriteProbe(name))) restrict(dataDir, statSync(dataDir).mode);
  for (const name of names) if (ownEntries.has(name)) restrictTree(join(dataDir, name));
}
