import { write } from 'node:fs';
import { promisify } from 'node:util';
import type { CallbackRecord } from '../functions/callback/callback-record.ts';

/** What happened, first: `stored`, `refused 10101`, `rejected unknown-sdkappid`… */
function verdict(record: CallbackRecord): string {
  if (record.code !== undefined) return `${record.outcome} ${record.code}`;
  if (record.reason !== undefined) return `${record.outcome} ${record.reason}`;
  return record.outcome;
}

/**
 * A callback's record as one line for a terminal: the same fields Lambda logs as JSON
 * (LOG_FORMAT=json prints that instead), empty ones left out.
 */
export function readableRecord(record: CallbackRecord, at = new Date()): string {
  const fields: [string, unknown][] = [
    ['kind', record.kind],
    ['app', record.sdkAppId],
    ['group', record.groupId],
    ['topic', record.topicId],
    ['user', record.user],
    ...Object.entries(record.fields ?? {}),
    ['event', record.eventId?.slice(0, 12)],
    ['events', record.events],
    ['rule', record.matched === undefined ? (Array.isArray(record.rule) ? record.rule.join(',') : record.rule) : record.matched.map(({ id }) => id).join(',')],
    ['penalty', record.penalty ? 'yes' : undefined],
    ['shadow', record.shadow?.map((hit) => `${hit.rule}:${Object.keys(hit).find((key) => key.startsWith('would'))}`).join(',')],
    ['counter-misses', record.counterMisses],
    ['valid', record.valid === false ? 'no' : undefined],
    ['ip', record.clientIp],
    ['platform', record.optPlatform],
    ['request', record.requestId],
  ];
  const details = fields.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${String(value)}`);
  const line = [
    at.toISOString(),
    record.level.padEnd(5),
    String(record.status),
    verdict(record).padEnd(9),
    record.command ?? '-',
    ...(record.unknownCommand ? [`(unknown command${record.nearest === undefined ? '' : `, nearest ${record.nearest}`})`] : []),
    `${record.durationMs}ms`,
    ...(record.coldStart ? ['cold'] : []),
    ...details,
  ].join(' ');
  const payload = record.payload === undefined ? '' : `\n  payload ${record.payload}`;
  const error = record.error === undefined ? '' : `\n  ${record.error.stack ?? `${record.error.name}: ${record.error.message}`}`;
  return line + payload + error;
}

const writeAsync = promisify(write);

export interface RecordLines {
  /** Formats the record now and writes it soon, with the others of the same turn of the event loop. */
  readonly write: (record: CallbackRecord) => void;
  /** Resolves once every line is written. */
  close(): Promise<void>;
}

/**
 * The records as readable lines on stdout (file descriptor `fd`), written asynchronously: the lines
 * of one turn of the event loop go out in one write, on libuv's thread pool, so a slow terminal or
 * a full pipe never holds up a callback's answer (console.log writes to a pipe or a file
 * synchronously). In order: one write at a time.
 */
export function recordLines(fd = 1): RecordLines {
  let queued: string[] = [];
  let writing: Promise<void> | undefined;
  const writeAll = async (data: Buffer) => {
    for (let done = 0; done < data.length; ) done += (await writeAsync(fd, data, done, data.length - done)).bytesWritten;
  };
  const drain = async () => {
    // Give the other requests of this turn time to add their lines.
    await new Promise((resolve) => setImmediate(resolve));
    while (queued.length > 0) {
      const data = Buffer.from(`${queued.join('\n')}\n`);
      queued = [];
      await writeAll(data).catch(() => undefined);
    }
    writing = undefined;
  };
  return {
    write(record) {
      queued.push(readableRecord(record));
      writing ??= drain();
    },
    close: async () => {
      await writing;
    },
  };
}
