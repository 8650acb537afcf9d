import type { Settings } from '../shared/settings.ts';
import type { KeepOutcome } from '../store/fallback-event-store.ts';
import type { MetricValue } from './callback-metrics.ts';
import { type CallbackRecord, commandDimension, type Outcome, type RecordLevel } from './callback-record.ts';
import { embedMetrics } from './emf.ts';
import { CALLBACK_RECORD_MESSAGE, SERVICE_NAME } from './metric-names.ts';

type LogLevel = Settings['logLevel'];

const severity: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

export interface RecordLineOptions {
  /** The lowest level whose records are written (the `logLevel` setting). Required. */
  readonly logLevel: LogLevel;
  /** The CloudWatch namespace of the metrics the line carries (`metricsNamespace`). Default: none, so no metrics (npm start). */
  readonly namespace?: string;
  /** The SDKAppIDs the receiver serves (`sdkAppIds`): with one, a record of a callback for it need not repeat it. Default: none. */
  readonly sdkAppIds?: readonly string[];
  /**
   * An ISO `timestamp` field. In Lambda each line already has the time it was written (Logs Insights'
   * `@timestamp`) and the metrics' `_aws.Timestamp`, so only a line printed locally needs one. Default: false.
   */
  readonly timestamp?: boolean;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
  /**
   * Where a line goes; `level` is the record's, or undefined for a line of metrics alone. Default:
   * stdout, whatever the level: on Lambda "writing JSON to standard out in the embedded metric format
   * is sufficient" (the EMF specification page, emf.ts), and one stream keeps the lines in order.
   */
  readonly write?: (line: string, level: RecordLevel | undefined) => void;
}

const writeToStdout = (line: string) => process.stdout.write(`${line}\n`);

/** Outcomes of an after-event that was kept: the stored event holds the callback's details, found by its `eventId`. */
const keptOutcomes: ReadonlySet<Outcome> = new Set(['stored', 'duplicate', 'queued'] satisfies KeepOutcome[]);

interface LineShape {
  /** With metrics: `command` is then the metric's dimension value. */
  readonly withMetrics: boolean;
  /** The receiver's only SDKAppID, if it serves one. */
  readonly soleSdkAppId: string | undefined;
  readonly timestamp: string | undefined;
}

/**
 * The record's fields as the line shows them: every byte is billed on every callback, so what a
 * reader can know otherwise is left out (docs/operations.md#record). Defaults: `status` is written
 * when not 200, `coldStart` when true, `valid` when false. `sdkAppId` when the receiver serves
 * several or the request named another. The record of a kept after-event has no `fields`,
 * `clientIp` or `optPlatform`: the stored event has them. With metrics, `command` is the metric's
 * dimension value (commandDimension: a command without a definition is `unregistered`, so a sender
 * cannot mint metrics), and the command as sent follows as `commandSent`.
 */
function lineFields(record: CallbackRecord, { withMetrics, soleSdkAppId, timestamp }: LineShape): Record<string, unknown> {
  const { level, coldStart, valid, status, sdkAppId, fields: shownFields, clientIp, optPlatform, ...rest } = record;
  const kept = keptOutcomes.has(record.outcome);
  const fields: Record<string, unknown> = {
    level,
    message: CALLBACK_RECORD_MESSAGE,
    ...(timestamp === undefined ? {} : { timestamp }),
    service: SERVICE_NAME,
    ...rest,
    ...(status === 200 ? {} : { status }),
    ...(sdkAppId === soleSdkAppId ? {} : { sdkAppId }),
    ...(kept ? {} : { fields: shownFields, clientIp, optPlatform }),
    ...(valid === false ? { valid } : {}),
    ...(coldStart ? { coldStart } : {}),
  };
  const dimension = commandDimension(rest.command);
  if (withMetrics && rest.command !== undefined && dimension !== rest.command) {
    fields.command = dimension;
    fields.commandSent = rest.command;
  }
  return fields;
}

/**
 * Writes each callback's record as one JSON line, carrying its metrics as CloudWatch EMF (emf.ts):
 * one line per callback where Powertools wrote three (the record, and a document per dimension set).
 *
 * Metrics are never lost to the log level: a record below `logLevel` is not written, but its metrics
 * are, on a line of their own that holds no record (no `message`, so the saved queries do not count
 * it). The line is written directly, not through a logger whose settings (a level, buffering, a
 * pretty-printing dev mode) could hold it back or split it over lines (docs/operations.md#record-and-log-level).
 */
export function recordLine(options: RecordLineOptions): (record: CallbackRecord, metrics?: readonly MetricValue[]) => void {
  const { logLevel, namespace, sdkAppIds = [], timestamp = false, now = Date.now, write = writeToStdout } = options;
  if (!(logLevel in severity)) throw new TypeError(`recordLine: logLevel must be one of ${Object.keys(severity).join(', ')}`);
  if (namespace !== undefined && namespace.trim() === '') throw new TypeError('recordLine: namespace must not be empty');
  const threshold = severity[logLevel];
  const soleSdkAppId = sdkAppIds.length === 1 ? sdkAppIds[0] : undefined;

  return function writeRecordLine(record, metrics = []) {
    const shown = severity[record.level] >= threshold;
    const counted = namespace !== undefined && metrics.length > 0;
    if (!shown && !counted) return;
    const at = now();
    const fields = shown ? lineFields(record, { withMetrics: counted, soleSdkAppId, timestamp: timestamp ? new Date(at).toISOString() : undefined }) : {};
    const documents = counted ? embedMetrics(fields, metrics, { namespace, timestamp: at }) : [fields];
    for (const [index, document] of documents.entries()) write(JSON.stringify(document), shown && index === 0 ? record.level : undefined);
  };
}
