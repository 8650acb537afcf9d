/**
 * The names CloudWatch knows the receiver by, written once: the functions emit them (callback-metrics.ts,
 * record-line.ts, the other handlers through Powertools) and the stack's dashboard, alarms and saved
 * queries read them (infra/observability/). Kept apart from the emitters so synth loads none of them.
 */
import type { CommandKind } from '../commands/definition.ts';
import type { CallbackRecord, Outcome } from './callback-record.ts';

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
  /**
   * Decisions a policy rule made or changed, by rule id (the first 100 rules; `other` past them:
   * policy/rule-dimension.ts). The dimension is `ruleId`, not `rule`: the record's `rule` holds the
   * rules' places, and a metric rides on the record's own line only where its dimensions agree with
   * the record's fields of the same name (emf.ts).
   */
  policyRuleHits: { name: 'PolicyRuleHits', dimensions: ['ruleId'] },
  /** Shadow rules that would have acted (`mode: "shadow"`), by rule id. */
  policyShadowHits: { name: 'PolicyShadowHits', dimensions: ['ruleId'] },
  /** Decisions each rule took part in, by rule id: summed in the function and written once a minute (rule-evaluations.ts). */
  policyRuleEvaluations: { name: 'PolicyRuleEvaluations', dimensions: ['ruleId'] },
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

/**
 * The canary's EMF metrics (functions/canary/, docs/production.md#canary), namespace `metricsNamespace`,
 * with `service` and their own dimensions: the canary function emits them, the receiver's canary
 * alarm and dashboard row read them.
 */
export const canaryMetrics = {
  /** One per check, by what it found (`canaryResults`). */
  checks: { name: 'CanaryChecks', dimensions: ['result'] },
  /** Milliseconds from the canary's send to its callback's arrival at the receiver. */
  latency: { name: 'CanaryLatency', dimensions: [] },
} as const satisfies Record<string, { name: string; dimensions: readonly string[] }>;

/**
 * What a canary check finds: its callback `arrived`; it is `missing` (sent, never stored in time);
 * `unknown` (Tencent's REST API timed out or rate-limited the send: nothing is known of the callbacks);
 * `refused` (the REST API refused the send: the credentials or the canary's group or account are wrong).
 */
export const canaryResults = ['arrived', 'missing', 'unknown', 'refused'] as const;
export type CanaryResult = (typeof canaryResults)[number];

/** The reconciliation's EMF metrics (functions/reconcile/, docs/production.md#reconcile), as the canary's. */
export const reconcileMetrics = {
  /** Differences between the synced view and Tencent found in a run (each repaired), by `driftKinds`. */
  drift: { name: 'ReconcileDrift', dimensions: ['kind'] },
  /** Groups a run looked at, by what it could tell (`reconcileResults`). */
  groups: { name: 'ReconcileGroups', dimensions: ['result'] },
} as const satisfies Record<string, { name: string; dimensions: readonly string[] }>;

/**
 * A group's profile fields that differ, members Tencent has and the view lacks, members the view has
 * and Tencent does not, and groups Tencent says are gone that the view shows.
 */
export const driftKinds = ['fields', 'missingMembers', 'extraMembers', 'goneGroups'] as const;
export type DriftKind = (typeof driftKinds)[number];
/** `checked`: compared with Tencent's answer; `unknown`: Tencent's REST API did not answer in time or rate-limited it. */
export const reconcileResults = ['checked', 'unknown'] as const;

/**
 * The `Callbacks` metric's outcomes that say a command was heard and handled, by its kind: what a
 * silence alarm counts (docs/production.md#silence). A rejection (a wrong token, a wrong SDKAppID) or
 * a failure is not: a token changed on one side only must look like silence.
 */
export const heardOutcomes = {
  after: ['stored', 'duplicate', 'queued'],
  before: ['allowed', 'refused', 'dropped', 'rewritten', 'members-refused', 'timed-out'],
} as const satisfies { readonly [Kind in CommandKind]: readonly Outcome[] };

// Every outcome of the record is heard or not, by name: a new one fails here until it is placed. A
// probe (the console's check of the URL) carries no command, so it says nothing of one.
type Unplaced = Exclude<Outcome, (typeof heardOutcomes)[CommandKind][number] | 'rejected' | 'failed' | 'probe'>;
const _everyOutcomePlaced: [Unplaced] extends [never] ? true : Unplaced = true;
