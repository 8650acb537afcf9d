import * as v from 'valibot';
import { MAX_PAYLOAD_BYTES } from '../callback/callback-event.ts';
import { defaultDeadlineMs } from '../policy/decision-clock.ts';
import { patternTrialProblems } from '../policy/load-policy.ts';
import { defaultRateBudgetMs } from '../policy/policy-counters.ts';
import { allowEverything, type Policy, PolicySchema, pathTo } from '../policy/policy-schema.ts';
import { policySource } from '../policy/policy-source.ts';
import { BUSY_ACCOUNTS_VARIABLE, BusyAccountsSchema } from './busy-accounts.ts';
import { sdkAppId } from './sdk-app-id.ts';

/**
 * The receiver's settings, declared once for the deployment (cdk.json context or `-c key=value`,
 * checked at synth), the Lambda function (environment variables set by the stack) and `npm start`
 * (cdk.json context, overridden by the same environment variables).
 *
 * Context and environment variables carry strings, so every setting also accepts its text form.
 */

const integerOrText = v.union([v.number(), v.pipe(v.string(), v.trim(), v.digits(), v.toNumber())], 'must be a whole number');

export { sdkAppId };

/** A whole number in a range, given as a number or as its text (context and environment carry text). */
export const wholeNumber = (min: number, max: number) => v.pipe(integerOrText, v.integer(), v.minValue(min), v.maxValue(max));

export const SettingsSchema = v.object({
  /** The SDKAppIDs whose callbacks are accepted; any other `SdkAppid` gets HTTP 403. Required. */
  sdkAppIds: v.pipe(
    v.union([v.array(v.union([v.string(), v.number()])), v.string(), v.number()], 'must be a list of SDKAppIDs'),
    v.transform((ids) => (Array.isArray(ids) ? ids : String(ids).split(',')).map((id) => String(id).trim())),
    v.filterItems((id) => id !== ''),
    v.array(sdkAppId),
    v.minLength(1, 'at least one SDKAppID is required'),
  ),
  /**
   * The before-callback policy (functions/policy/policy-schema.ts): an object, JSON text, or
   * `@path/to/policy.json` relative to the current directory. Default: allow everything.
   */
  policy: v.optional(v.pipe(v.unknown(), policySource, PolicySchema), allowEverything),
  /**
   * How long a before-callback's policy decision may take, in ms; past it the command's `onTimeout`
   * answers (allow unless the policy says otherwise). Tencent waits 2 s for the whole answer.
   * Default: 100.
   */
  policyDeadlineMs: v.optional(wholeNumber(10, 1_000), defaultDeadlineMs),
  /**
   * How long a decision's rate and repeat-offender counters may take in all, in ms; past it those
   * rules do not match and the miss is counted (docs/policy.md#rate-rules). Default: 50.
   */
  rateBudgetMs: v.optional(wholeNumber(1, 1_000), defaultRateBudgetMs),
  /**
   * Accounts whose events are spread over their wide keys wherever they are the place (a one-to-one
   * message's receiver, a presence change's owner), as chatbots' always are: one that receives more
   * than ~400 events a second would otherwise run its keys past a tenth of DynamoDB's per-key writes
   * (docs/key-design.md#busy-accounts). Part of every event's key: change it as a deploy of its own.
   * Default: none.
   */
  busyAccounts: v.optional(BusyAccountsSchema, []),
  /** Days a stored event is kept before DynamoDB's TTL removes it. Default: 90. */
  eventRetentionDays: v.optional(wholeNumber(1, 36_500), 90),
  /**
   * How far `RequestTime` may be from the receiver's clock, either way, when a token is set. Default:
   * 60 seconds, what Tencent's console guide advises (docs/protocol.md#sign).
   */
  signWindowSeconds: v.optional(wholeNumber(1, 3_600), 60),
  /**
   * Larger bodies get 413 before any parsing. Default: 1 MiB; Tencent's largest are tens of KB. At
   * most what API Gateway lets through at all.
   */
  maxBodyBytes: v.optional(wholeNumber(1_024, MAX_PAYLOAD_BYTES), 1024 * 1024),
  /**
   * A batch (`Push.*`: `{"Events":[…]}`) holding more items gets 413 before any item is checked or
   * stored: each item is a write of its own. Default: 100, what Tencent documents for the Push plugin's
   * callbacks, "the length of the events array ranges from 1 to 100" (docs/protocol.md#push;
   * https://www.tencentcloud.com/document/product/1047/67552, https://www.tencentcloud.com/document/product/1047/67551).
   */
  maxBatchItems: v.optional(wholeNumber(1, 1_000), 100),
  /**
   * How long the table may take to store an after-event before it goes to the fallback (an SQS
   * queue in AWS, a spool file locally), in ms. Tencent waits 2 s for the whole answer. Default: 1000.
   */
  writeBudgetMs: v.optional(wholeNumber(50, 1_900), 1_000),
  /** The callback record's level; at DEBUG it carries the body too. Default: INFO. */
  logLevel: v.optional(v.picklist(['DEBUG', 'INFO', 'WARN', 'ERROR'], 'must be DEBUG, INFO, WARN or ERROR'), 'INFO'),
  /** The CloudWatch namespace of the receiver's metrics. Default: TencentImCallbacks. */
  metricsNamespace: v.optional(
    v.pipe(v.string(), v.regex(/^[\w./#:-]{1,255}$/, 'must be a CloudWatch namespace: letters, digits and . - _ / # :')),
    'TencentImCallbacks',
  ),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;
export type SettingName = keyof Settings;

/** The environment variable that carries each setting (the context key is the setting's own name). */
export const settingVariables = {
  sdkAppIds: 'IM_SDKAPPIDS',
  policy: 'IM_POLICY',
  policyDeadlineMs: 'IM_POLICY_DEADLINE_MS',
  rateBudgetMs: 'IM_RATE_BUDGET_MS',
  busyAccounts: BUSY_ACCOUNTS_VARIABLE,
  eventRetentionDays: 'EVENT_RETENTION_DAYS',
  signWindowSeconds: 'IM_SIGN_WINDOW_SECONDS',
  maxBodyBytes: 'IM_MAX_BODY_BYTES',
  maxBatchItems: 'IM_MAX_BATCH_ITEMS',
  writeBudgetMs: 'IM_WRITE_BUDGET_MS',
  logLevel: 'IM_LOG_LEVEL',
  metricsNamespace: 'IM_METRICS_NAMESPACE',
} as const satisfies Record<SettingName, string>;

/**
 * What each setting is for, one line for people: the README's settings table (cli/settings-table.ts,
 * `npm run settings`), beside the default and the range the schema declares. Markdown.
 */
export const settingDescriptions = {
  sdkAppIds: 'SDKAppIDs whose callbacks are accepted, a list or comma-separated; any other `SdkAppid` gets 403. `cdk.json` carries an example, `1400000000`.',
  policy: 'The before-callback [policy](docs/policy.md): an object, JSON text or `@path/to/policy.json`. The default allows everything.',
  policyDeadlineMs: "How long a policy decision may take, in ms; past it the command's `onTimeout` answers ([deadline](docs/policy.md#deadline)).",
  rateBudgetMs:
    'How long the counters of rate and repeat-offender rules may take per decision, in ms; past it those rules do not match ([rate rules](docs/policy.md#rate-rules)).',
  busyAccounts:
    "Accounts that receive more than ~400 events a second, spread over wide keys as chatbots are; part of each event's key, so deploy a change on its own ([busy accounts](docs/key-design.md#busy-accounts)).",
  eventRetentionDays: "Days a stored event is kept before DynamoDB's TTL deletes it.",
  signWindowSeconds: "With a token: how far `RequestTime` may be from the receiver's clock, either way, in seconds ([security](docs/security.md#checks)).",
  maxBodyBytes: 'Larger bodies get 413 before any parsing.',
  maxBatchItems: 'A batch (`Push.*`) with more items gets 413 before any item is checked or stored; Tencent sends 1 to 100.',
  writeBudgetMs:
    'How long the table may take, in ms, before an after-event goes to the fallback instead ([when things fail](docs/operations.md#when-things-fail)).',
  logLevel:
    'The lowest level of callback record written: `DEBUG`, `INFO`, `WARN` or `ERROR`; `DEBUG` adds the body. Metrics are written at any level ([the record](docs/operations.md#record-and-log-level)).',
  metricsNamespace: "The CloudWatch namespace of the receiver's [metrics](docs/operations.md#metrics).",
} as const satisfies Record<SettingName, string>;

const settingNames = Object.keys(settingVariables) as SettingName[];

export class SettingsError extends Error {
  override name = 'SettingsError';
}

type ObjectSchema = v.ObjectSchema<v.ObjectEntries, undefined>;

/**
 * The timed trial of each pattern (policy/pattern-cost.ts) against the deadline, which is another
 * setting: checked once both are parsed, for any schema that has both (the deployment's included).
 */
const patternsWithinDeadline = v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const { policy, policyDeadlineMs } = dataset.value as { policy?: Policy; policyDeadlineMs?: number };
  if (policy === undefined || policyDeadlineMs === undefined) return;
  for (const { path, message } of patternTrialProblems(policy, policyDeadlineMs)) addIssue({ message, path: pathTo(policy, ['policy', ...path]) });
});

/** valibot's names of types, in words. */
const typeWords: Readonly<Record<string, string>> = {
  Array: 'a list',
  Object: 'an object',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
};
const inWords = (expected: string) =>
  expected
    .split(' | ')
    .map((type) => typeWords[type] ?? type)
    .join(' or ');

/**
 * An issue in words for whoever wrote the setting: valibot's own messages (`Invalid key: Expected
 * never but received "contains"`) say what the schema checked, not what to change. Messages a schema
 * wrote itself are kept as they are.
 */
export function plainMessage(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith('Invalid ')) return issue.message;
  if (issue.message.startsWith('Invalid key') && issue.received === 'undefined') return 'is required';
  if (issue.type === 'strict_object') return `${issue.received} is not a field here (a typo?)`;
  if (issue.message.startsWith('Invalid type') && issue.expected !== null)
    return `must be ${inWords(issue.expected)}, not ${typeWords[issue.received] ?? issue.received}`;
  return issue.message;
}

/**
 * Validates raw settings against a schema (this one, or the deployment's which extends it). `source`
 * tells the reader where each came from, so an error names the exact key to fix, for example
 * `eventRetentionDays (cdk.json context or -c eventRetentionDays=…)`.
 */
export function parseSettings<Schema extends ObjectSchema = typeof SettingsSchema>(
  raw: Record<string, unknown>,
  source: (name: string) => string,
  schema: Schema = SettingsSchema as unknown as Schema,
): v.InferOutput<Schema> {
  const result = v.safeParse(v.pipe(schema, patternsWithinDeadline), raw);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const [name, ...rest] = (v.getDotPath(issue) ?? '').split('.');
    const where = name !== undefined && name in schema.entries ? source(name) : 'settings';
    const inner = rest.length > 0 ? ` at ${rest.join('.')}` : '';
    return `  - ${where}${inner}: ${plainMessage(issue)}`;
  });
  throw new SettingsError(`Invalid settings:\n${problems.join('\n')}`);
}

/** What `cdk synth` reads: context from cdk.json or `-c name=value`, for every key of the schema. */
export function settingsFromContext<Schema extends ObjectSchema = typeof SettingsSchema>(
  context: (name: string) => unknown,
  schema: Schema = SettingsSchema as unknown as Schema,
): v.InferOutput<Schema> {
  const raw = Object.fromEntries(Object.keys(schema.entries).map((name) => [name, context(name)]));
  return parseSettings(raw, (name) => `${name} (cdk.json context or -c ${name}=…)`, schema);
}

/** What the deployed function reads: the stack writes these variables from the validated settings. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): Settings {
  const raw = Object.fromEntries(settingNames.map((name) => [name, env[settingVariables[name]]]));
  return parseSettings(raw, (name) => `environment variable ${settingVariables[name as SettingName]}`);
}

/** What `npm start` reads: the deployment's context, each setting overridden by its environment variable. */
export function settingsFromContextAndEnvironment(context: (name: string) => unknown, env: NodeJS.ProcessEnv): Settings {
  // An empty variable (`IM_POLICY= npm start`) means unset, as shells use it.
  const fromEnv = (name: SettingName) => env[settingVariables[name]] || undefined;
  const raw = Object.fromEntries(settingNames.map((name) => [name, fromEnv(name) ?? context(name)]));
  return parseSettings(raw, (name) =>
    fromEnv(name as SettingName) === undefined ? `${name} (cdk.json context)` : `environment variable ${settingVariables[name as SettingName]}`,
  );
}

export interface SettingsToEnvironmentOptions {
  /**
   * What IM_POLICY carries: `@path` of a file holding the policy (the stack's policy layer, since
   * Lambda's environment holds 4 KB in all). Default: the policy itself, as JSON text.
   */
  readonly policy?: string;
}

/** The inverse of `settingsFromEnvironment`, for the stack to hand validated settings to the function. */
export function settingsToEnvironment(settings: Settings, options: SettingsToEnvironmentOptions = {}): Record<string, string> {
  return {
    [settingVariables.sdkAppIds]: settings.sdkAppIds.join(','),
    [settingVariables.policy]: options.policy ?? JSON.stringify(settings.policy),
    [settingVariables.policyDeadlineMs]: String(settings.policyDeadlineMs),
    [settingVariables.rateBudgetMs]: String(settings.rateBudgetMs),
    [settingVariables.busyAccounts]: settings.busyAccounts.join(','),
    [settingVariables.eventRetentionDays]: String(settings.eventRetentionDays),
    [settingVariables.signWindowSeconds]: String(settings.signWindowSeconds),
    [settingVariables.maxBodyBytes]: String(settings.maxBodyBytes),
    [settingVariables.maxBatchItems]: String(settings.maxBatchItems),
    [settingVariables.writeBudgetMs]: String(settings.writeBudgetMs),
    [settingVariables.logLevel]: settings.logLevel,
    [settingVariables.metricsNamespace]: settings.metricsNamespace,
  };
}
