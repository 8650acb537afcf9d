/**
 * The inspector's callbacks outlive a restart: what CapturedCallbacks keeps is written to
 * DATA_DIR/inspector/callbacks.jsonl (0600, like everything there), a little after each change and
 * when npm start stops, and read back when it starts. The file holds exactly what memory holds, so
 * it has the same bounds, in count and in bytes (captured-callbacks.ts). Written whole to a
 * temporary file and renamed over the old one: a crash mid-write leaves the previous snapshot.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { PRIVATE_FILE_MODE, privateFolder } from '../data-dir.ts';
import type { LiveCallback } from './inspector-types.ts';
import type { OutgoingCallback } from './tencent-request.ts';

const FILE = 'callbacks.jsonl';
/** How long after a change the file follows: a burst of callbacks is one write. */
const SNAPSHOT_DELAY_MS = 2_000;

export interface KeptEntry {
  readonly shown: LiveCallback;
  readonly outgoing: OutgoingCallback;
}

const pair = v.pipe(v.tuple([v.string(), v.string()]), v.readonly());
/** A line of the file: the row as the page gets it (checked loosely: this process wrote it), and its request, the body in base64. */
const LineSchema = v.object({
  shown: v.looseObject({ id: v.string(), source: v.literal('live'), at: v.number(), record: v.looseObject({ outcome: v.string() }) }),
  outgoing: v.object({ method: v.string(), path: v.string(), query: v.array(pair), body: v.string(), origin: v.string() }),
});

const lineOf = ({ shown, outgoing }: KeptEntry) => JSON.stringify({ shown, outgoing: { ...outgoing, body: outgoing.body.toString('base64') } });

export class KeptFile {
  readonly #path: string;
  readonly #entries: () => readonly KeptEntry[];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  /** `dir`: DATA_DIR/inspector; `entries`: what to write, read when the write happens. */
  constructor(dir: string, entries: () => readonly KeptEntry[]) {
    privateFolder(dir);
    this.#path = join(dir, FILE);
    this.#entries = entries;
  }

  /** What an earlier run kept, oldest first; a line that does not read back is skipped. */
  load(): KeptEntry[] {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      if (line === '') return [];
      try {
        const parsed = v.parse(LineSchema, JSON.parse(line));
        return [{ shown: parsed.shown as unknown as LiveCallback, outgoing: { ...parsed.outgoing, body: Buffer.from(parsed.outgoing.body, 'base64') } }];
      } catch {
        return [];
      }
    });
  }

  /** Something changed: the file follows shortly. */
  changed(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#writing = this.#writing
        .then(() => this.#write())
        .catch((error: Error) => console.error(`The inspector could not keep its callbacks: ${error.message}`));
    }, SNAPSHOT_DELAY_MS);
    // A pending snapshot never keeps the process alive: close() writes the last one.
    this.#timer.unref();
  }

  #text(): string {
    return this.#entries()
      .map((entry) => `${lineOf(entry)}\n`)
      .join('');
  }

  async #write(): Promise<void> {
    await writeFile(`${this.#path}.tmp`, this.#text(), { mode: PRIVATE_FILE_MODE });
    await rename(`${this.#path}.tmp`, this.#path);
  }

  /** The last snapshot, written before the process ends. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
    writeFileSync(`${this.#path}.tmp`, this.#text(), { mode: PRIVATE_FILE_MODE });
    renameSync(`${this.#path}.tmp`, this.#path);
  }
}
