/**
 * The settings of production in view (docs/production.md): the canary, the silence alarms and the
 * reconciliation. Each is off unless given. The same schemas check the construct's props and the
 * stack's context keys (infra/deployment-settings.ts), so a value is checked once whichever way it
 * comes: an object, or its JSON text (`-c canary='{"group":"@TGS#canary"}'`).
 */
import { Duration } from 'aws-cdk-lib';
import * as v from 'valibot';
import { registeredCommands } from '../functions/commands/registry.ts';
import { nearestName } from '../functions/shared/edit-distance.ts';
import { domainProblem, restDomains } from '../functions/tencent/rest-domains.ts';
import { restCallsPerSecond } from '../functions/tencent/rest-errors.ts';

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const DURATION_TEXT = /^(\d+)(s|m|h|d)$/;

const isDuration = (value: unknown): value is Duration =>
  typeof value === 'object' && value !== null && 'toSeconds' in value && typeof (value as Duration).toSeconds === 'function';

/** A span of time as `90s`, `15m`, `1h`, `1d`, or a CDK Duration, in whole minutes from `min` to `max`. */
export const durationSetting = (min: Duration, max: Duration, wholeMinutes = true) =>
  v.pipe(
    v.union(
      [v.pipe(v.string(), v.trim(), v.regex(DURATION_TEXT, 'must be a duration such as 90s, 15m, 1h or 1d')), v.custom<Duration>(isDuration)],
      'must be a duration such as 15m, or a Duration',
    ),
    v.transform((value): Duration => {
      if (isDuration(value)) return value;
      const [, amount, unit] = DURATION_TEXT.exec(value)!;
      return Duration.seconds(Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS]);
    }),
    v.check((duration) => !wholeMinutes || duration.toSeconds() % 60 === 0, 'must be whole minutes'),
    v.check(
      (duration) => duration.toSeconds() >= min.toSeconds() && duration.toSeconds() <= max.toSeconds(),
      `must be from ${min.toHumanString()} to ${max.toHumanString()}`,
    ),
  );

/** An object, or its JSON text as `-c` gives it. */
const objectOrJson = <Schema extends v.GenericSchema>(schema: Schema, example: string) =>
  v.pipe(
    v.unknown(),
    v.transform((value) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return Symbol.for('not JSON');
      }
    }),
    v.check((value) => value !== Symbol.for('not JSON'), `must be an object or its JSON text, e.g. ${example}`),
    schema,
  );

const id = (what: string) => v.pipe(v.string(`must be ${what}`), v.trim(), v.nonEmpty(`must be ${what}`), v.maxLength(256));

/**
 * The canary (docs/production.md#canary): every `every`, a message to `group` or `account` through the
 * REST API, and an alarm when its callback is not stored within `wait`.
 */
export const CanarySettingsSchema = v.pipe(
  v.strictObject(
    {
      /** How often it checks: one REST message and one scheduled run each time. Default: 5 minutes. */
      every: v.optional(durationSetting(Duration.minutes(1), Duration.days(1)), '5m'),
      /** The group it sends to (send_group_msg): one kept for it, that people need not see. */
      group: v.optional(id('a group id')),
      /** Or the account it sends to (sendmsg), one kept for it. */
      account: v.optional(id('an account')),
      /** Who sends; default: the App admin (to an account), the group's system (to a group). */
      sender: v.optional(id('an account')),
      /** How long its callback may take to be stored before CanaryMissing. Default: 1 minute. */
      wait: v.optional(durationSetting(Duration.seconds(10), Duration.minutes(10), false), '1m'),
    },
    'is not a canary setting (every, group, account, sender, wait)',
  ),
  v.check((canary) => (canary.group === undefined) !== (canary.account === undefined), 'needs a group or an account to send to (one of them)'),
  v.check(
    (canary) => canary.wait.toSeconds() < canary.every.toSeconds(),
    'wait must be shorter than every: a run waits for its callback before the next starts',
  ),
);
export type CanarySettings = v.InferOutput<typeof CanarySettingsSchema>;
export type CanaryInput = v.InferInput<typeof CanarySettingsSchema>;

/** Why a name is no command to expect, or undefined when it is one. */
function expectedCommandProblem(name: string): string | undefined {
  if (registeredCommands.includes(name)) return undefined;
  const meant = nearestName(name, registeredCommands);
  return `${name} is no command of the registry${meant === undefined ? ' (npm run commands lists them)' : `; did you mean ${meant}?`}`;
}

/**
 * The silence alarms (docs/production.md#silence): for each command, how long it may go unheard
 * before its alarm, e.g. `{ "Group.CallbackAfterSendMsg": "15m" }`. The window is the alarm's period:
 * CloudWatch evaluates up to a day of whole minutes.
 */
export const ExpectedCommandsSchema = v.pipe(
  v.record(v.string(), durationSetting(Duration.minutes(1), Duration.days(1)), 'must map commands to durations, e.g. {"Group.CallbackAfterSendMsg":"15m"}'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problems = Object.keys(dataset.value).flatMap((name) => expectedCommandProblem(name) ?? []);
    if (Object.keys(dataset.value).length === 0) problems.push('names no command: leave it out for no silence alarm');
    if (problems.length > 0) addIssue({ message: problems.join('; ') });
  }),
);
export type ExpectedCommands = v.InferOutput<typeof ExpectedCommandsSchema>;
export type ExpectedCommandsInput = v.InferInput<typeof ExpectedCommandsSchema>;

/** Groups one run may look at, at most: a run's REST calls stay bounded whatever the view holds. */
const MAX_GROUPS_PER_RUN = 100_000;

/**
 * The reconciliation (docs/production.md#reconcile): every `every`, the groups of the synced view
 * (unless `viewGroups: false`) and `groups` compared with Tencent's get_group_info and
 * get_group_member_info, and repaired.
 */
export const ReconcileSettingsSchema = v.strictObject(
  {
    /** How often it runs. Default: 1 day. */
    every: v.optional(durationSetting(Duration.hours(1), Duration.days(7)), '1d'),
    /** Groups to reconcile besides the view's (a group whose callbacks never arrived is not in the view). */
    groups: v.optional(v.array(id('a group id'), 'must be a list of group ids'), []),
    /** Whether to reconcile every group the synced view holds. Default: true. */
    viewGroups: v.optional(v.boolean('must be true or false'), true),
    /** REST calls a second, per API, at most: Tencent allows 200 (docs/tencent-rest.md#errors), shared with the app's own. Default: 20. */
    callsPerSecond: v.optional(v.pipe(v.number('must be a number'), v.integer(), v.minValue(1), v.maxValue(restCallsPerSecond)), 20),
    /** Groups one run looks at, at most; the rest wait for the next run. Default: 10,000. */
    maxGroups: v.optional(v.pipe(v.number('must be a number'), v.integer(), v.minValue(1), v.maxValue(MAX_GROUPS_PER_RUN)), 10_000),
  },
  'is not a reconcile setting (every, groups, viewGroups, callsPerSecond, maxGroups)',
);
export type ReconcileSettings = v.InferOutput<typeof ReconcileSettingsSchema>;
export type ReconcileInput = v.InferInput<typeof ReconcileSettingsSchema>;

/** The REST domain: a data centre's name or a host name (docs/tencent-rest.md#domains). */
export const tencentDomainSetting = v.pipe(
  v.string(),
  v.trim(),
  v.check((domain) => domainProblem(domain) === undefined, `must be one of ${Object.keys(restDomains).join(', ')} or a host name`),
);

/** The context keys' schemas: each an object or its JSON text. */
export const productionContextEntries = {
  canary: v.optional(objectOrJson(CanarySettingsSchema, '{"group":"@TGS#canary","every":"5m"}')),
  expectedCommands: v.optional(objectOrJson(ExpectedCommandsSchema, '{"Group.CallbackAfterSendMsg":"15m"}')),
  reconcile: v.optional(objectOrJson(ReconcileSettingsSchema, '{"every":"1d","groups":["@TGS#1"]}')),
  /** The Secrets Manager secret (name or ARN) holding Tencent's REST admin credentials, for the canary and the reconciliation. */
  tencentCredentialsSecret: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^([\w/+=.@-]{1,512}|arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+)$/, 'must be a secret name or ARN'),
    ),
  ),
  tencentDomain: v.optional(tencentDomainSetting),
};

/** What each needs: the REST API, for the canary and the reconciliation. */
export function productionProblems(settings: { canary?: unknown; reconcile?: unknown }, credentials: { given: boolean; name: string }): string[] {
  return (['canary', 'reconcile'] as const).flatMap((name) =>
    settings[name] !== undefined && !credentials.given
      ? [`${name}: calls Tencent's REST API, so it needs ${credentials.name} (docs/tencent-rest.md#credentials)`]
      : [],
  );
}
