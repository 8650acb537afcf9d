import { randomUUID } from 'node:crypto';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeLog, LogOffset, LogRecord } from './change-log.ts';
import { lambdaContext } from './http-adapter.ts';
import { seqOf, streamRecordOf } from './stream-record.ts';

/** A stream consumer's Lambda handler: functions/fan-out/fan-out-records.ts, functions/synced-view/project-stream.ts. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | undefined>;

/** What a runner tells of its health: once when its batches start failing, once when they pass again. */
export type RunnerNews =
  | { readonly type: 'failing'; readonly consumer: string; readonly failed: number; readonly pending: number; readonly error?: string }
  | { readonly type: 'recovered'; readonly consumer: string; readonly afterMs: number; readonly pending: number };

export interface StreamRunnerOptions {
  /** The consumer's name: its offset in the log (`<name>.offset`) and in what it tells. */
  readonly name: string;
  readonly log: ChangeLog;
  /** The consumer, exactly as Lambda invokes it. */
  readonly handler: StreamHandler;
  /** The table the records are of (their eventSourceARN). */
  readonly tableName: string;
  /** Records per invocation, as the event source mapping's BatchSize. @default 100 */
  readonly batchSize?: number;
  /**
   * How long to gather records before invoking with fewer than `batchSize`, as the mapping's
   * MaximumBatchingWindowInSeconds (and its polling, a few times a second, in effect): under load, one
   * invocation takes many records, which the consumer may write at once. @default 0
   */
  readonly batchWindowMs?: number;
  /** The first wait after a failed batch, doubled each time, with jitter. @default 200 */
  readonly initialDelayMs?: number;
  /** The longest wait between two tries. @default 30000 */
  readonly maxDelayMs?: number;
  /** Told when batches start failing and when they pass again. @default nobody */
  readonly report?: (news: RunnerNews) => void;
}

/**
 * Local mode's event source mapping: one consumer of the change log (change-log.ts), invoked with
 * batches of stream records (stream-record.ts) as Lambda invokes it, from its own durable offset. A
 * batch that passes moves the offset past it; a partial batch response moves it to just before the
 * first record reported failed, and the batch is tried again from there, with backoff, as the
 * mapping retries from the failed sequence number (ReportBatchItemFailures); a batch that throws is
 * tried again whole. It retries until the records pass, never skipping one: at least once, in order.
 * The offset is written every 1,000 records or 100 ms (change-log.ts), not per batch.
 */
export class StreamRunner {
  readonly name: string;
  readonly #options: StreamRunnerOptions;
  readonly #offset: LogOffset;
  readonly #closing = new AbortController();
  readonly #running: Promise<void>;
  #idle: (() => void)[] = [];
  #backoff: (() => void) | undefined;

  constructor(options: StreamRunnerOptions) {
    this.name = options.name;
    this.#options = options;
    const batchSize = options.batchSize ?? 100;
    if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) throw new RangeError('batchSize must be a whole number from 1 to 10,000');
    const batchWindowMs = options.batchWindowMs ?? 0;
    if (!(Number.isFinite(batchWindowMs) && batchWindowMs >= 0)) throw new RangeError('batchWindowMs must be a number of ms >= 0');
    this.#offset = options.log.offset(options.name);
    this.#running = this.#run(batchSize, batchWindowMs);
  }

  /** How many records the log holds that this consumer has not done. */
  pending(): number {
    return this.#options.log.countAfter(this.#offset.position);
  }

  /** Resolves once this consumer has done every record on the log's disk (or it is closed). */
  idle(): Promise<void> {
    if (this.#offset.position >= this.#options.log.end() || this.#closing.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops after the batch under way (a wait between tries is cut short) and writes the offset. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#backoff?.();
    await this.#running;
    await this.#offset.flush();
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #run(batchSize: number, batchWindowMs: number): Promise<void> {
    const { log, handler, tableName, report } = this.#options;
    const initialDelayMs = this.#options.initialDelayMs ?? 200;
    const maxDelayMs = this.#options.maxDelayMs ?? 30_000;
    const signal = this.#closing.signal;
    let delay = initialDelayMs;
    let failingSince: number | undefined;
    while (!signal.aborted) {
      let records: readonly LogRecord[] = log.read(this.#offset.position, batchSize);
      if (records.length === 0) {
        for (const resolve of this.#idle.splice(0)) resolve();
        await log.next(this.#offset.position, signal);
        continue;
      }
      if (records.length < batchSize && batchWindowMs > 0 && failingSince === undefined) {
        records = await this.#gather(records, batchSize, batchWindowMs);
      }
      const event: DynamoDBStreamEvent = { Records: records.map((record) => streamRecordOf(record, tableName)) };
      let failedFrom: number | undefined;
      let error: string | undefined;
      try {
        const response = await handler(event, lambdaContext(randomUUID()));
        const failed = (response?.batchItemFailures ?? []).map((failure) => seqOf(failure.itemIdentifier));
        // An identifier that names no record of the batch fails the whole batch, as it does in Lambda.
        if (failed.some((seq) => !Number.isSafeInteger(seq) || seq < records[0]!.seq)) failedFrom = records[0]!.seq;
        else if (failed.length > 0) failedFrom = Math.min(...failed);
      } catch (thrown) {
        failedFrom = records[0]!.seq;
        error = (thrown as Error).message;
      }
      if (failedFrom === undefined) {
        this.#offset.commit(records.at(-1)!.seq);
        if (failingSince !== undefined) report?.({ type: 'recovered', consumer: this.name, afterMs: Date.now() - failingSince, pending: this.pending() });
        failingSince = undefined;
        delay = initialDelayMs;
        continue;
      }
      // The records before the first that failed are done.
      const done = records.filter((record) => record.seq < failedFrom).at(-1);
      if (done !== undefined) this.#offset.commit(done.seq);
      if (signal.aborted) break;
      // Said once per outage, not once per try.
      if (failingSince === undefined) {
        report?.({ type: 'failing', consumer: this.name, failed: records.filter((record) => record.seq >= failedFrom).length, pending: this.pending(), error });
      }
      failingSince ??= Date.now();
      await this.#sleep(delay / 2 + (Math.random() * delay) / 2);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }

  /** More records, until the batch is full or the window is over (or the runner closes). */
  async #gather(records: readonly LogRecord[], batchSize: number, windowMs: number): Promise<readonly LogRecord[]> {
    const { log } = this.#options;
    const window = AbortSignal.any([this.#closing.signal, AbortSignal.timeout(windowMs)]);
    let gathered = records;
    while (gathered.length < batchSize && !window.aborted) {
      await log.next(gathered.at(-1)!.seq, window);
      gathered = log.read(this.#offset.position, batchSize);
    }
    return gathered;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#backoff = done;
    });
  }
}
