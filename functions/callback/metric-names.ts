/**
 * The names CloudWatch knows the receiver by, written once: the functions emit them (powertools.ts,
 * middlewares/observe-callback.ts, callback-record.ts) and the stack's dashboard, alarms and saved
 * queries read them (infra/observability/). Kept apart from Powertools so synth does not load it.
 */
import type { CallbackRecord } from './callback-record.ts';

/** Powertools' `service`: on every record, and a dimension of every metric. */
export const SERVICE_NAME = 'tencent-im-callbacks';
/** The dimension Powertools adds to every metric, beside each metric's own. */
export const SERVICE_DIMENSION = 'service';

/** Each EMF metric with the dimensions it is emitted with (besides `service`): one dimension set each. */
export const callbackMetrics = {
  callbacks: { name: 'Callbacks', dimensions: ['command', 'outcome'] },
  handlerLatency: { name: 'HandlerLatency', dimensions: ['kind'] },
  duplicates: { name: 'Duplicates', dimensions: [] },
  queued: { name: 'Queued', dimensions: [] },
  refusals: { name: 'Refusals', dimensions: ['code'] },
  /** Before-callbacks whose decision ran past `policyDeadlineMs` and got the command's `onTimeout` answer. */
  policyTimeouts: { name: 'PolicyTimeouts', dimensions: ['command'] },
  /** Decisions a policy rule made or changed, by rule id (the first 100 rules; `other` past them: policy/rule-dimension.ts). */
  policyRuleHits: { name: 'PolicyRuleHits', dimensions: ['rule'] },
  /** Shadow rules that would have acted (`mode: "shadow"`), by rule id. */
  policyShadowHits: { name: 'PolicyShadowHits', dimensions: ['rule'] },
  /** Decisions each rule took part in, by rule id: summed in the function and written once a minute (rule-evaluations.ts). */
  policyRuleEvaluations: { name: 'PolicyRuleEvaluations', dimensions: ['rule'] },
  /** Counter calls of rate and repeat rules that missed `rateBudgetMs` or failed: those rules did not match. */
  policyCounterMisses: { name: 'PolicyCounterMisses', dimensions: [] },
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

/** The `message` of every callback record, as Powertools Logger writes it (powertools.ts). */
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
