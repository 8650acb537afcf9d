import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredEvent, WrittenKey } from '../functions/store/event-store.ts';
import { PRIVATE_FILE_MODE, privateFolder } from './data-dir.ts';
import { appendDurably, GroupCommit } from './group-commit.ts';

/** One line of the log: an event the table holds, with its place in the log and when it was appended. */
export interface LogRecord {
  /** Its place, from 1, rising; a failed append may leave a gap. The stream record's SequenceNumber. */
  readonly seq: number;
  /** When it was appended, epoch ms: the stream record's ApproximateCreationDateTime. */
  readonly at: number;
  readonly event: StoredEvent;
  /** The keys of its item in the table (put's `key`); absent in records of a version before the third key design. */
  readonly key?: WrittenKey;
}

export interface ChangeLogOptions {
  /** A segment past this many bytes is closed and a new one started. @default 8 MiB */
  readonly segmentBytes?: number;
  /**
   * How long a consumed segment is kept after its last record: the reconcile at start looks this far
   * back in the table (local-stream.ts), and finds what the log still holds by its id. @default LOOK_BACK_MS
   */
  readonly keepMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** A consumer's place in the log: the seq of the last record it is done with. */
export interface LogOffset {
  /** Where it is, in this process. */
  readonly position: number;
  /** Done with every record up to `seq`: kept in memory at once, written to disk every OFFSET_EVERY_RECORDS records or OFFSET_EVERY_MS. */
  commit(seq: number): void;
  /** Writes the position now, if it moved since it was last written. */
  flush(): Promise<void>;
}

/**
 * How far back the reconcile at start looks in the table, from the log's last record
 * (local-stream.ts); a consumed segment is kept at least this long, so the reconcile finds what the
 * log holds by its id. Far longer than a write takes to reach the log: a write budget, a group commit.
 */
export const LOOK_BACK_MS = 5 * 60_000;

/** The position is written at least this often while it moves... */
const OFFSET_EVERY_MS = 100;
/** ...and at once after this many records: a crash redelivers at most about that many (at least once). */
const OFFSET_EVERY_RECORDS = 1_000;

const SEGMENT = /^(\d{16})\.jsonl$/;
const segmentName = (firstSeq: number) => `${String(firstSeq).padStart(16, '0')}.jsonl`;
const offsetName = (consumer: string) => `${consumer}.offset`;

interface Segment {
  readonly name: string;
  readonly ids: string[];
  bytes: number;
  lastSeq: number;
  lastAt: number;
}

interface Pending {
  readonly record: LogRecord;
  readonly line: Buffer;
}

/**
 * Local mode's stand-in for the events table's stream (docs/local.md#stream): every event the table
 * holds, once, in the order it was appended. The store appends each event whose put left it in the
 * table (stored, or found there already: local/change-logging-store.ts), so a write whose answer was
 * lost, a spool replay and a retry of Tencent's all reach it, and idempotently: an event the log
 * holds is not appended again. Appends are group-committed (one write and one fdatasync per batch,
 * group-commit.ts) and resolve once on disk: the callback is answered after that. Consumers
 * (stream-runner.ts) read the records once they are on disk, each from its own durable offset.
 *
 * On disk, under DATA_DIR/stream: segments `<first seq, 16 digits>.jsonl`, one record a line as JSON
 * (`{"seq","at","event"}`), and `<consumer>.offset`, the seq a consumer is done with. A segment every
 * consumer is done with is deleted once it is `keepMs` old, the last one never. Without a directory
 * the log lives in memory (tests).
 */
export class ChangeLog {
  readonly #dir: string | undefined;
  readonly #segmentBytes: number;
  readonly #keepMs: number;
  readonly #now: () => number;
  readonly #segments: Segment[] = [];
  /** Every event id in the log (its retained segments): a later append of one is a no-op. */
  readonly #ids = new Map<string, Promise<void>>();
  /** On disk, in seq order; those before `#head` every consumer is done with. */
  #records: LogRecord[] = [];
  #head = 0;
  #lastSeq = 0;
  #end = 0;
  #lastAt: number | undefined;
  readonly #commits: GroupCommit<Pending>;
  readonly #offsets = new Map<string, { position: number; written: number }>();
  readonly #waiting = new Set<() => void>();
  readonly #listeners: ((record: LogRecord) => void)[] = [];
  /** Lines found unreadable at open: a torn last line (never acknowledged), or damage. */
  readonly unreadable: number = 0;
  #closed = false;

  constructor(dir?: string, options: ChangeLogOptions = {}) {
    this.#dir = dir;
    this.#segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    this.#keepMs = options.keepMs ?? LOOK_BACK_MS;
    this.#now = options.now ?? Date.now;
    this.#commits = new GroupCommit((batch) => this.#write(batch));
    if (dir !== undefined) this.unreadable = this.#load(dir);
  }

  /** The seq of the last record on disk; 0 when there is none. */
  end(): number {
    return this.#end;
  }

  /** When the last record on disk was appended: where the reconcile at start looks back from. */
  lastAppendedAt(): number | undefined {
    return this.#lastAt;
  }

  has(eventId: string): boolean {
    return this.#ids.has(eventId);
  }

  /**
   * Appends the event unless the log holds it (or is appending it): resolves once it is on disk.
   * Rejects when the disk failed; the event is then not in the log, and a later append may try again.
   */
  append(event: StoredEvent, key?: WrittenKey): Promise<void> {
    const known = this.#ids.get(event.eventId);
    if (known !== undefined) return known;
    if (this.#closed) return Promise.reject(new Error('the change log is closed'));
    this.#lastSeq += 1;
    const record: LogRecord = { seq: this.#lastSeq, at: this.#now(), event, ...(key === undefined ? {} : { key }) };
    const appended = this.#commits.add({ record, line: Buffer.from(`${JSON.stringify(record)}\n`) });
    this.#ids.set(event.eventId, appended);
    appended.catch(() => this.#ids.delete(event.eventId));
    return appended;
  }

  /** Told of each record once it is on disk, in order (the inspector's live list). Must not throw. */
  onRecord(listener: (record: LogRecord) => void): void {
    this.#listeners.push(listener);
  }

  /** Up to `max` records after `after`, on disk, in order. */
  read(after: number, max: number): readonly LogRecord[] {
    const from = this.#indexAfter(after);
    return this.#records.slice(from, from + max);
  }

  /** How many records there are after `after`. */
  countAfter(after: number): number {
    return this.#records.length - this.#indexAfter(after);
  }

  /** The index of the first record in memory after `seq`. */
  #indexAfter(seq: number): number {
    const records = this.#records;
    let low = this.#head;
    let high = records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (records[middle]!.seq <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Resolves once a record after `after` is on disk, or `signal` aborts. */
  next(after: number, signal: AbortSignal): Promise<void> {
    if (this.#end > after || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.#waiting.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.#waiting.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /**
   * A consumer's offset, read from `<name>.offset`. One never written (a consumer new to this log)
   * starts at the log's end: it gets what is appended from now on, as a new stream consumer gets the
   * stream's new records (LATEST). One behind what the log still holds resumes at its oldest record.
   */
  offset(name: string): LogOffset {
    const read = this.#readOffset(name);
    const state = { position: Math.min(read ?? this.#end, this.#end), written: read ?? -1 };
    // A new consumer's starting point is written at once, before anything is appended for it: a
    // crash before its first commit must not make it start again at a later end, past those records.
    if (read === undefined && this.#dir !== undefined) {
      writeFileSync(join(this.#dir, offsetName(name)), String(state.position), { mode: PRIVATE_FILE_MODE });
      state.written = state.position;
    }
    this.#offsets.set(name, state);
    let timer: NodeJS.Timeout | undefined;
    let writing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      clearTimeout(timer);
      timer = undefined;
      // A failed write (a full disk) must not stop the later ones: each tries again with the position then.
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          const position = state.position;
          if (position === state.written) return;
          await this.#writeOffset(name, position);
          state.written = position;
          this.#compact();
        });
      return writing;
    };
    return {
      get position() {
        return state.position;
      },
      commit: (seq) => {
        if (seq <= state.position) return;
        state.position = seq;
        this.#trim();
        if (state.position - Math.max(state.written, 0) >= OFFSET_EVERY_RECORDS) void flush().catch(() => undefined);
        else timer ??= setTimeout(() => void flush().catch(() => undefined), OFFSET_EVERY_MS);
      },
      flush,
    };
  }

  /** Resolves once every append made so far is on disk (or failed). */
  settled(): Promise<void> {
    return this.#commits.settled();
  }

  /** Finishes the appends under way; later ones are refused. */
  async close(): Promise<void> {
    await this.settled();
    this.#closed = true;
    for (const wake of [...this.#waiting]) wake();
  }

  async #write(batch: readonly Pending[]): Promise<void> {
    if (batch.length === 0) return;
    const bytes = Buffer.concat(batch.map((pending) => pending.line));
    if (this.#dir !== undefined) {
      let segment = this.#segments.at(-1);
      if (segment === undefined || segment.bytes >= this.#segmentBytes) {
        segment = { name: segmentName(batch[0]!.record.seq), ids: [], bytes: 0, lastSeq: 0, lastAt: 0 };
        this.#segments.push(segment);
      }
      const created = segment.bytes === 0;
      try {
        const { to } = await appendDurably(join(this.#dir, segment.name), bytes);
        segment.bytes = to;
      } catch (error) {
        if (created && segment.bytes === 0) this.#segments.pop();
        throw error;
      }
      // A new file's name must be on disk too, or a crash could lose the file with its records.
      if (created) await syncFolder(this.#dir);
      for (const { record } of batch) segment.ids.push(record.event.eventId);
      segment.lastSeq = batch.at(-1)!.record.seq;
      segment.lastAt = batch.at(-1)!.record.at;
    }
    for (const { record } of batch) {
      this.#records.push(record);
      for (const listener of this.#listeners) listener(record);
    }
    this.#end = batch.at(-1)!.record.seq;
    this.#lastAt = batch.at(-1)!.record.at;
    for (const wake of [...this.#waiting]) wake();
  }

  /** Records every consumer is done with leave memory (they stay on disk until compacted). */
  #trim() {
    const done = Math.min(...[...this.#offsets.values()].map((offset) => offset.position));
    if (!Number.isFinite(done)) return;
    this.#head = this.#indexAfter(done);
    // The array is cut only now and then, so trimming costs nothing per record.
    if (this.#head > 1024 && this.#head * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Deletes each segment but the last that every consumer's written offset has passed, once keepMs old. */
  #compact() {
    if (this.#dir === undefined) return;
    const done = Math.min(...[...this.#offsets.values()].map((offset) => offset.written));
    const oldEnough = this.#now() - this.#keepMs;
    while (this.#segments.length > 1) {
      const [oldest] = this.#segments;
      if (oldest!.lastSeq > done || oldest!.lastAt > oldEnough) break;
      rmSync(join(this.#dir, oldest!.name), { force: true });
      this.#segments.shift();
      for (const id of oldest!.ids) this.#ids.delete(id);
    }
  }

  /** Reads the segments at start; cuts a torn last line off (its append never returned). Returns the lines it could not read. */
  #load(dir: string): number {
    privateFolder(dir);
    let unreadable = 0;
    const names = readdirSync(dir)
      .filter((name) => SEGMENT.test(name))
      .sort();
    const durable = Promise.resolve();
    for (const [index, name] of names.entries()) {
      const path = join(dir, name);
      const text = readFileSync(path);
      const segment: Segment = { name, ids: [], bytes: text.length, lastSeq: 0, lastAt: 0 };
      let start = 0;
      for (let newline = text.indexOf(0x0a, start); newline !== -1; newline = text.indexOf(0x0a, start)) {
        const line = text.subarray(start, newline).toString('utf8');
        start = newline + 1;
        try {
          const record = JSON.parse(line) as LogRecord;
          if (!(Number.isSafeInteger(record.seq) && record.seq > this.#lastSeq && typeof record.event?.eventId === 'string')) throw new Error('not a record');
          this.#records.push(record);
          this.#ids.set(record.event.eventId, durable);
          segment.ids.push(record.event.eventId);
          segment.lastSeq = this.#lastSeq = record.seq;
          segment.lastAt = this.#lastAt = record.at;
        } catch {
          unreadable += 1;
        }
      }
      if (start < text.length) {
        unreadable += 1;
        // Only the last segment is appended to: a torn tail there is cut, so the next line starts clean.
        if (index === names.length - 1) {
          truncateSync(path, start);
          segment.bytes = start;
        }
      }
      this.#segments.push(segment);
    }
    this.#end = this.#lastSeq;
    return unreadable;
  }

  #readOffset(name: string): number | undefined {
    if (this.#dir === undefined || !existsSync(join(this.#dir, offsetName(name)))) return undefined;
    const text = readFileSync(join(this.#dir, offsetName(name)), 'utf8').trim();
    const oldest = this.#records[this.#head]?.seq;
    // A file there but unreadable (emptied by a power loss: it is not fsync'd; damaged) is no new
    // consumer, which would start at the end, past what this one had not done: it resumes at the
    // oldest record kept. Redelivering is what at least once allows; skipping is not.
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) return oldest === undefined ? this.#end : oldest - 1;
    const offset = Number(text);
    // Behind the oldest record kept: resume there.
    return oldest !== undefined && offset < oldest - 1 ? oldest - 1 : offset;
  }

  /** Not fsync'd: a lost offset redelivers a few records, which at-least-once allows; a rename is never half done. */
  async #writeOffset(name: string, position: number) {
    if (this.#dir === undefined) return;
    const temporary = join(this.#dir, `${offsetName(name)}.tmp`);
    await writeFile(temporary, String(position), { mode: PRIVATE_FILE_MODE });
    await rename(temporary, join(this.#dir, offsetName(name)));
  }
}

/** fsync of a folder: makes the names created in it durable (Linux; where a folder cannot be synced, nothing). */
async function syncFolder(dir: string) {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Not every platform lets a folder be synced.
  }
}
