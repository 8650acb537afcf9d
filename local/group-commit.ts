import { open } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from './data-dir.ts';

interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: whatever is added while a commit is under way waits for the next one, which takes
 * all of it at once. Each `add` settles with its batch's commit. Commits, and the tasks given to
 * `exclusive` (a spool moving its file aside), run one at a time, in the order asked for; the I/O is
 * asynchronous, so the event loop never waits on a disk. What one commit costs (one write, one
 * fdatasync) is shared by every request that arrived meanwhile: under load, the more requests, the
 * fewer syncs each.
 */
export class GroupCommit<T> {
  readonly #commit: (batch: readonly T[]) => Promise<void>;
  #queue: Waiting<T>[] = [];
  #scheduled = false;
  #tail: Promise<void> = Promise.resolve();

  constructor(commit: (batch: readonly T[]) => Promise<void>) {
    this.#commit = commit;
  }

  /** Resolves once the item's batch is committed; rejects with the commit's error. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      this.#tail = this.#tail.then(() => this.#commitQueued());
    });
  }

  /** Runs `task` between two commits: nothing is being written while it runs. */
  exclusive<R>(task: () => Promise<R> | R): Promise<R> {
    const run = this.#tail.then(task);
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves once everything added so far is committed (or failed). */
  settled(): Promise<void> {
    return this.exclusive(() => undefined);
  }

  async #commitQueued(): Promise<void> {
    // The requests read in the same turn of the event loop join this commit too.
    await new Promise((resolve) => setImmediate(resolve));
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    try {
      await this.#commit(batch.map((waiting) => waiting.item));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

/**
 * Appends `data` to the file at `path` (created 0600) and returns once it is on disk (fdatasync).
 * After a crash mid-append the file may end in a torn line: with `newlineFirst`, a file that does not
 * end in a newline gets one first, so the data starts a line of its own. Returns the file's size before
 * and after.
 */
export async function appendDurably(path: string, data: Buffer, options: { newlineFirst?: boolean } = {}): Promise<{ from: number; to: number }> {
  const handle = await open(path, 'a+', PRIVATE_FILE_MODE);
  try {
    const { size } = await handle.stat();
    let bytes = data;
    if (options.newlineFirst && size > 0) {
      const last = Buffer.alloc(1);
      const { bytesRead } = await handle.read(last, 0, 1, size - 1);
      if (bytesRead === 1 && last[0] !== 0x0a) bytes = Buffer.concat([Buffer.from('\n'), data]);
    }
    try {
      for (let written = 0; written < bytes.length; ) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
      await handle.datasync();
    } catch (error) {
      // Part of it may be there: take it away, so a failed append leaves the file as it was.
      await handle.truncate(size).catch(() => undefined);
      throw error;
    }
    return { from: size, to: size + bytes.length };
  } finally {
    await handle.close();
  }
}
