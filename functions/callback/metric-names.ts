/**
 * The names CloudWatch knows the receiver by, written once: the functions emit them (callback-metrics.ts,
 * record-line.ts, the other handlers through Powertools) and the stack's dashboard, alarms and saved
 * queries read them (infra/observability/). Kept apart from the emitters so synth loads none of them.
 */
import type { CallbackRecord } from './callback-record.ts';

/** The `service` of every record and log line, and a dimension of every metric. */
export const SERVICE_NAME = 'tencent-im-callbacks';
/** The dimension every metric carries, beside its own (as Powertools Metrics adds it). */
export const SERVICE_DIMENSION = 'service';

/**
 * Each EMF metric of the callback function with the dimensions it is emitted with (besides
 * `service`): one dimension set each. They ride on the callback's record line (record-line.ts).
 */
export const callbackMetrics = {
  callbacks: { name: 'Callbacks', dimensions: ['command', 'outcome'] },
  /** The first callback of an execution environment (the name Powertools' captureColdStartMetric gave it). */
  coldStart: { name: 'ColdStart', dimensions: [] },
  duplicates: { name: 'Duplicates', dimensions: [] },
  queued: { name: 'Queued', dimensions: [] },
  refusals: { name: 'Refusals', dimensions: ['code'] },
  /** Before-callbacks whose decision ran past `policyDeadlineMs` and got the command's `onTimeout` answer. */
  policyTimeouts: { name: 'PolicyTimeouts', dimensions: ['command'] },
  /** Callbacks naming a command without a definition (stored or allowed all the same), by `kind`: `unregistered` or `before`. */
  unknownCommands: { name: 'UnknownCommands', dimensions: ['kind'] },
  rejections: { name: 'Rejections', dimensions: ['reason'] },
  failures: { name: 'Failures', dimensions: ['reason'] },
} as const satisfies Record<string, { name: string; dimensions: readonly string[] }>;

export type CallbackMetric = (typeof callbackMetrics)[keyof typeof callbackMetrics];
/** The dimension values a metric must be emitted with: exactly its declared set. */
export type DimensionsOf<Metric extends CallbackMetric> = Record<Metric['dimensions'][number], string>;

/** The metrics' names alone, for readers that need no dimensions. */
export const metricNames = Object.fromEntries(Object.entries(callbackMetrics).map(([key, { name }]) => [key, name])) as {
  readonly [Key in keyof typeof callbackMetrics]: (typeof callbackMetrics)[Key]['name'];
};

/** The `message` of every callback record line (record-line.ts): what the saved queries filter on. */
export const CALLBACK_RECORD_MESSAGE = 'callback';

/** The callback record's fields that the dashboard and the saved queries read, checked against the record's type. */
export const recordFields = {
  level: 'level',
  outcome: 'outcome',
  status: 'status',
  command: 'command',
  kind: 'kind',
  groupId: 'groupId',
  topicId: 'topicId',
  user: 'user',
  rule: 'rule',
  sdkAppId: 'sdkAppId',
  eventId: 'eventId',
  code: 'code',
  reason: 'reason',
  durationMs: 'durationMs',
  coldStart: 'coldStart',
  clientIp: 'clientIp',
  requestId: 'requestId',
  error: 'error',
} as const satisfies { readonly [Field in keyof CallbackRecord]?: Field };
