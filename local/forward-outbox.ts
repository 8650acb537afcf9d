import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, privateFolder } from './data-dir.ts';

const LOG = 'outbox.jsonl';
const OFFSET = 'outbox.offset';

interface Line {
  readonly text: string;
  /** The byte offset just past this line in the log: what is delivered once it is. */
  readonly end: number;
}

/**
 * The local forwarder's durable queue, under DATA_DIR/forward: an append-only log of one event per
 * line, each fsync'd before `append` returns, and the byte offset of what has been delivered. Lines
 * are handed out in the order appended, one at a time; a crash redelivers at most the lines after
 * the last offset written (at least once). Once everything is delivered the log is emptied.
 * Without a directory it keeps the queue in memory only (tests).
 */
export class ForwardOutbox {
  readonly #dir: string | undefined;
  #lines: Line[] = [];
  #size = 0;
  /** False after a crash mid-append left a torn last line: the next append starts a line of its own. */
  #endsClean = true;
  /** Lines cut short by a crash mid-append: never acknowledged to Tencent, so nothing is lost. */
  readonly torn: number = 0;

  constructor(dir?: string) {
    this.#dir = dir;
    if (dir === undefined) return;
    privateFolder(dir);
    const log = existsSync(join(dir, LOG)) ? readFileSync(join(dir, LOG)) : Buffer.alloc(0);
    this.#size = log.length;
    this.#endsClean = log.length === 0 || log[log.length - 1] === 0x0a;
    let start = this.#readOffset();
    // Larger than the log: the process died between emptying the log and resetting the offset.
    if (start > log.length) start = 0;
    let torn = 0;
    for (let newline = log.indexOf(0x0a, start); newline !== -1; newline = log.indexOf(0x0a, start)) {
      const text = log.subarray(start, newline).toString('utf8');
      start = newline + 1;
      if (text === '') continue;
      try {
        JSON.parse(text);
        this.#lines.push({ text, end: start });
      } catch {
        torn += 1;
      }
    }
    if (start < log.length) torn += 1;
    this.torn = torn;
  }

  /** How many lines wait to be delivered. */
  pending(): number {
    return this.#lines.length;
  }

  /** Appends one line (JSON text, no newline) and returns once it is on disk. */
  append(text: string): void {
    if (this.#dir !== undefined) {
      const data = Buffer.from(`${this.#endsClean ? '' : '\n'}${text}\n`);
      const fd = openSync(join(this.#dir, LOG), 'a', PRIVATE_FILE_MODE);
      try {
        for (let written = 0; written < data.length; ) written += writeSync(fd, data, written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.#size += data.length;
      this.#endsClean = true;
    }
    this.#lines.push({ text, end: this.#size });
  }

  /** The oldest line not yet delivered. */
  peek(): string | undefined {
    return this.#lines[0]?.text;
  }

  /** The oldest line was delivered: the next `peek` gives the one after it. */
  ack(): void {
    const [delivered] = this.#lines.splice(0, 1);
    if (delivered === undefined || this.#dir === undefined) return;
    if (this.#lines.length > 0) {
      this.#writeOffset(delivered.end);
      return;
    }
    // All delivered: empty the log first, then the offset (a crash between them is seen at load).
    truncateSync(join(this.#dir, LOG), 0);
    this.#size = 0;
    this.#endsClean = true;
    this.#writeOffset(0);
  }

  #readOffset(): number {
    try {
      const offset = Number.parseInt(readFileSync(join(this.#dir!, OFFSET), 'utf8'), 10);
      return Number.isSafeInteger(offset) && offset >= 0 ? offset : 0;
    } catch {
      return 0;
    }
  }

  /** Not fsync'd: a lost offset redelivers a few events, which at-least-once allows; a rename is never half-done. */
  #writeOffset(offset: number) {
    const temporary = join(this.#dir!, `${OFFSET}.tmp`);
    writeFileSync(temporary, String(offset), { mode: PRIVATE_FILE_MODE });
    renameSync(temporary, join(this.#dir!, OFFSET));
  }
}
