/**
 * TencentImReceiver's props: the receiver's settings (functions/shared/settings.ts) and the
 * deployment's (infra/deployment-settings.ts) under the same names, with the same validation and the
 * same defaults, read from those schemas; and what only a construct can be given (a secret, a table,
 * a bus, alarm actions). Every problem is reported at once, in one error, before anything is made.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as v from 'valibot';
import type { PolicySchema } from '../functions/policy/policy-schema.ts';
import { intendedSetting } from '../functions/shared/intended-setting.ts';
import { parseSettings, SettingsError } from '../functions/shared/settings.ts';
import type { MigrationStep } from '../functions/store/legacy/legacy-table.ts';
import { CREATE_TOKEN_SECRET, DeploymentSettingsSchema } from './deployment-settings.ts';
import { type EventsTableOverrides, eventsTableOverrideNames } from './events-table.ts';
import type { AlarmDefaults } from './observability/alarm-defaults.ts';
import { type CanaryInput, type ExpectedCommandsInput, productionProblems, type ReconcileInput, tencentDomainSetting } from './production-settings.ts';

/** The before-callback policy as written (docs/policy.md): rules, and what a command answers past its deadline. */
export type Policy = v.InferInput<typeof PolicySchema>;
/** One rule of the policy. */
export type PolicyRule = Policy['rules'][number];

export interface TencentImReceiverProps {
  /** The SDKAppIDs whose callbacks are accepted; any other gets HTTP 403. Required. */
  readonly sdkAppIds: readonly (string | number)[];
  /** The before-callback policy: an object, its JSON text, or `@path/to/policy.json`. @default {"rules":[]} */
  readonly policy?: Policy | string;
  /** How long a before-callback's policy decision may take, in ms; past it the command's `onTimeout` answers. @default 100 */
  readonly policyDeadlineMs?: number;
  /** How long the counters of rate and repeat-offender rules may take per decision, in ms; past it those rules do not match. @default 50 */
  readonly rateBudgetMs?: number;
  /**
   * The policy is also an AppConfig hosted configuration, read by the function and refreshed without
   * a deploy (docs/policy.md#without-a-deploy), checked by a validator function before any rollout,
   * rolled back on the FunctionErrors alarm. Off: the layer's copy alone, a change is a deploy.
   * @default true
   */
  readonly policyFromAppConfig?: boolean;
  /**
   * Accounts that receive more than ~400 events a second, spread over wide keys as chatbots are; part
   * of each event's key, so deploy a change on its own (docs/key-design.md#busy-accounts). At most 50.
   * @default []
   */
  readonly busyAccounts?: readonly string[];
  /** Days a stored event is kept before DynamoDB's TTL removes it. @default 90 */
  readonly eventRetentionDays?: number;
  /** How far `RequestTime` may be from the receiver's clock, either way, in seconds. @default 60 */
  readonly signWindowSeconds?: number;
  /** Larger bodies get 413 before any parsing. @default 1048576 */
  readonly maxBodyBytes?: number;
  /** A batch (`Push.*`) holding more items gets 413 before any item is stored. @default 100 */
  readonly maxBatchItems?: number;
  /** How long the table may take to store an after-event before it goes to the fallback queue, in ms. @default 1000 */
  readonly writeBudgetMs?: number;
  /** The callback record's level; at DEBUG it carries the body too. @default "INFO" */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** The CloudWatch namespace of the receiver's metrics. @default "TencentImCallbacks" */
  readonly metricsNamespace?: string;

  /**
   * The secret holding the callback token(s) Tencent signs with: `create` makes one, with a generated
   * token to paste into the Chat console, retained with the stack.
   * @default "create"
   */
  readonly callbackToken?: secretsmanager.ISecret | 'create';
  /**
   * Deploys without a token: the function checks the SDKAppID alone, which ships in every client, so
   * anyone who learns the callback URL can post events; synth warns. Not with `callbackToken`.
   * @default false
   */
  readonly unsignedCallbacks?: boolean;

  /**
   * An events table of your own, with the receiver's key design (functions/store/events-table.ts) and
   * a NEW_IMAGE stream (`tableStreamArn`) when the fan-out or the synced view is on.
   * @default - a table the receiver makes, retained and protected from deletion
   */
  readonly existingEventsTable?: dynamodb.ITable;
  /** Properties of the table the receiver makes, over its own: a name, a KMS key, … Not with `existingEventsTable`. @default - none */
  readonly eventsTableProps?: EventsTableOverrides;
  /** Moving a deployed table of the second key design off the first design's indexes, one index per deploy (docs/key-design.md). @default - none */
  readonly eventsTableMigrationStep?: MigrationStep;
  /**
   * Leaves the table of the second key design out of the stack: a new deployment has none to keep; a
   * deployed one stays in the account (retained) with its events. Kept, untouched, by default.
   * @default false
   */
  readonly retireEventsTable?: boolean;

  /** Publishes every stored after-event on the event bus (the fan-out). @default true */
  readonly fanOut?: boolean;
  /** A bus to publish on. @default - a bus of the receiver's, archived `fanOutArchiveDays` */
  readonly eventBus?: events.IEventBus;
  /** Days the receiver's bus's archive keeps every event, for replay. Not with `eventBus`. @default 7 */
  readonly fanOutArchiveDays?: number;
  /** Keeps the synced view of groups, members and users (a state table and its stream consumer). @default true */
  readonly syncedState?: boolean;

  /** API Gateway's steady request rate limit for the stage, per second. @default 10000 */
  readonly throttleRateLimit?: number;
  /** API Gateway's burst limit for the stage. @default 5000 */
  readonly throttleBurstLimit?: number;
  /** Reserved concurrency for the callback function: a ceiling on what a flood can cost. @default - none */
  readonly reservedConcurrency?: number;
  /** X-Ray tracing of the functions and their AWS calls. @default true */
  readonly tracing?: boolean;
  /** How long every log group of the receiver keeps its records. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** The p99 callback duration that raises the SlowCallbacks alarm, in ms: Tencent gives up at 2000. @default 1000 */
  readonly latencyAlarmMs?: number;
  /** Every alarm's name prefix, action, period and evaluation. @default - see AlarmDefaults */
  readonly alarms?: AlarmDefaults;

  /**
   * Tencent's REST API, which the canary and the reconciliation call: the secret holding the app's
   * admin credentials (`{"sdkAppId","identifier","secretKey"}`, docs/tencent-rest.md#credentials) and
   * the data centre's domain (`singapore`, …; default `china`).
   * @default - none: no canary, no reconciliation
   */
  readonly tencentApi?: TencentApiProps;
  /**
   * A canary (docs/production.md#canary): every `every` (5 minutes) a message through the REST API to
   * `group` or `account`, and the CanaryMissing alarm when its callback is not stored within `wait`
   * (1 minute). Needs `tencentApi`.
   * @default - no canary
   */
  readonly canary?: CanaryInput;
  /**
   * Silence alarms (docs/production.md#silence): how long each command may go unheard, e.g.
   * `{ 'Group.CallbackAfterSendMsg': '15m' }`; missing data counts as silence.
   * @default - none
   */
  readonly expectedCommands?: ExpectedCommandsInput;
  /**
   * The reconciliation of the synced view with Tencent (docs/production.md#reconcile): every `every`
   * (1 day), the view's groups and `groups` read from Tencent, compared and repaired. Needs `tencentApi`
   * and the synced view.
   * @default - none
   */
  readonly reconcile?: ReconcileInput;
}

/** Where the canary and the reconciliation find Tencent's REST API. */
export interface TencentApiProps {
  /** The secret holding `{"sdkAppId","identifier","secretKey"}` of an App admin account. */
  readonly credentials: secretsmanager.ISecret;
  /** The data centre's domain: a region name (`singapore`, …) or a host name. @default - `china` (a nested prop: not a settings row) */
  readonly domain?: string;
}

/** Whether a value has these members: how a construct's interface (ISecret, ITable, …) is recognised. */
const has =
  (...members: string[]) =>
  (value: unknown): boolean =>
    typeof value === 'object' && value !== null && members.every((member) => member in value);

const isDuration = has('toSeconds', 'toMilliseconds');

const retentionDays = Object.values(logs.RetentionDays).filter((days): days is logs.RetentionDays => typeof days === 'number');

const wholeAtLeastOne = (what: string) => v.pipe(v.number(`${what} must be a number`), v.integer(`${what} must be a whole number`), v.minValue(1));

const AlarmDefaultsSchema = v.strictObject(
  {
    namePrefix: v.optional(v.pipe(v.string(), v.regex(/^[\w-]{1,200}$/, 'must be letters, digits, - and _ (it names the dashboard too)'))),
    action: v.optional(v.custom<cloudwatch.IAlarmAction>(has('bind'), 'must be an IAlarmAction, such as new SnsAction(topic)')),
    email: v.optional(v.pipe(v.string(), v.trim(), v.email('must be an e-mail address'))),
    period: v.optional(
      v.pipe(
        v.custom<Duration>(isDuration, 'must be a Duration'),
        v.check((period) => [10, 30].includes(period.toSeconds()) || period.toSeconds() % 60 === 0, 'must be 10 s, 30 s or whole minutes'),
      ),
    ),
    evaluationPeriods: v.optional(wholeAtLeastOne('evaluationPeriods')),
    datapointsToAlarm: v.optional(wholeAtLeastOne('datapointsToAlarm')),
  },
  'is not one of the alarm defaults (namePrefix, action, email, period, evaluationPeriods, datapointsToAlarm)',
);

/** The deployment's settings the props take under their own names: the rest are props of their own (callbackToken, alarms). */
const {
  tokenSecret: _tokenSecret,
  alarmEmail: _alarmEmail,
  tencentCredentialsSecret: _tencentCredentialsSecret,
  tencentDomain: _tencentDomain,
  ...settingEntries
} = DeploymentSettingsSchema.entries;

export const ReceiverPropsSchema = v.object({
  ...settingEntries,
  callbackToken: v.optional(
    v.union([v.literal(CREATE_TOKEN_SECRET), v.custom<secretsmanager.ISecret>(has('secretArn', 'grantRead'))], 'must be a secret (ISecret) or "create"'),
    CREATE_TOKEN_SECRET,
  ),
  existingEventsTable: v.optional(v.custom<dynamodb.ITable>(has('tableArn', 'tableName', 'grant'), 'must be a table (ITable)')),
  eventsTableProps: v.optional(
    v.pipe(
      v.custom<EventsTableOverrides>(has(), 'must be an object of table properties'),
      v.check(
        (overrides) => Object.keys(overrides).every((key) => (eventsTableOverrideNames as readonly string[]).includes(key)),
        (issue) =>
          `may set ${eventsTableOverrideNames.join(', ')}; not ${Object.keys(issue.input as object)
            .filter((key) => !(eventsTableOverrideNames as readonly string[]).includes(key))
            .join(', ')} (the key design, indexes, stream and TTL are the receiver's)`,
      ),
    ),
  ),
  fanOut: v.optional(v.boolean('must be true or false'), true),
  eventBus: v.optional(v.custom<events.IEventBus>(has('eventBusArn', 'eventBusName'), 'must be an event bus (IEventBus)')),
  syncedState: v.optional(v.boolean('must be true or false'), true),
  policyFromAppConfig: v.optional(v.boolean('must be true or false'), true),
  logRetention: v.optional(v.picklist(retentionDays, 'must be a logs.RetentionDays value'), logs.RetentionDays.ONE_MONTH),
  alarms: v.optional(AlarmDefaultsSchema, {}),
  tencentApi: v.optional(
    v.strictObject(
      {
        credentials: v.custom<secretsmanager.ISecret>(has('secretArn', 'grantRead'), 'must be a secret (ISecret)'),
        domain: v.optional(tencentDomainSetting),
      },
      'is not a tencentApi setting (credentials, domain)',
    ),
  ),
});

/** The props with every default filled in and every value checked: what the receiver builds from. */
export type ResolvedReceiverProps = v.InferOutput<typeof ReceiverPropsSchema>;

/** Problems no single prop shows: props that exclude each other, or that need another. */
function conflicts(props: Record<string, unknown>): string[] {
  const given = (name: string) => props[name] !== undefined;
  const alarms = (props.alarms ?? {}) as AlarmDefaults;
  const table = props.existingEventsTable as dynamodb.ITable | undefined;
  const problems: string[] = [];
  if (props.unsignedCallbacks === true && given('callbackToken'))
    problems.push('unsignedCallbacks: cannot be true while callbackToken is set: drop one of them');
  if (table !== undefined) {
    for (const name of ['eventsTableProps', 'eventsTableMigrationStep', 'retireEventsTable']) {
      if (given(name)) problems.push(`${name}: is for the table the receiver makes; not with existingEventsTable`);
    }
    const readers = [props.fanOut !== false && 'the fan-out', props.syncedState !== false && 'the synced view'].filter(Boolean);
    if (typeof table === 'object' && table.tableStreamArn === undefined && readers.length > 0) {
      problems.push(
        `existingEventsTable: has no stream (tableStreamArn), which ${readers.join(' and ')} read; enable NEW_IMAGE, or switch ${readers.length > 1 ? 'them' : 'it'} off`,
      );
    }
  }
  if (props.fanOut === false) {
    for (const name of ['eventBus', 'fanOutArchiveDays']) if (given(name)) problems.push(`${name}: is the fan-out's, which fanOut: false switches off`);
  } else if (given('eventBus') && given('fanOutArchiveDays')) {
    problems.push('fanOutArchiveDays: archives the bus the receiver makes; not with eventBus (archive your own bus where it is made)');
  }
  if (alarms.action !== undefined && alarms.email !== undefined) {
    problems.push('alarms.email: is subscribed to the topic the receiver makes, which alarms.action replaces: subscribe it to your own');
  }
  if (alarms.datapointsToAlarm !== undefined && alarms.datapointsToAlarm > (alarms.evaluationPeriods ?? 1)) {
    problems.push('alarms.datapointsToAlarm: cannot be more than evaluationPeriods');
  }
  problems.push(...productionProblems(props, { given: given('tencentApi'), name: 'tencentApi' }));
  if (given('reconcile') && props.syncedState === false) problems.push('reconcile: repairs the synced view, which syncedState: false switches off');
  return problems;
}

/**
 * The props checked and completed: unknown names (with the name meant, when one is close), wrong
 * values and conflicting props, all at once, in one SettingsError naming the receiver.
 */
export function resolveReceiverProps(path: string, props: TencentImReceiverProps): ResolvedReceiverProps {
  const raw = { ...props } as Record<string, unknown>;
  const known = Object.keys(ReceiverPropsSchema.entries);
  const problems = Object.keys(raw)
    .filter((name) => !known.includes(name))
    .map((name) => {
      const meant = intendedSetting(name, known);
      return `${name}: not a prop of TencentImReceiver${meant === undefined ? '' : `; did you mean ${meant}?`}`;
    });
  let resolved: ResolvedReceiverProps | undefined;
  try {
    resolved = parseSettings(raw, (name) => name, ReceiverPropsSchema);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems.push(...error.message.split('\n').flatMap((line) => (line.startsWith('  - ') ? [line.slice(4)] : [])));
  }
  problems.push(...conflicts(raw));
  if (problems.length > 0 || resolved === undefined) {
    throw new SettingsError(`TencentImReceiver ${path}: invalid props:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return resolved;
}
