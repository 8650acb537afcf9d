import * as v from 'valibot';
import { editDistance } from '../functions/shared/edit-distance.ts';
import { type SettingName, SettingsSchema, settingsFromContext, wholeNumber } from '../functions/shared/settings.ts';
import { MigrationStepSchema } from './events-table.ts';
import { productionContextEntries, productionProblems } from './production-settings.ts';

/** The `tokenSecret` value that makes the stack create the secret, and the default. */
export const CREATE_TOKEN_SECRET = 'create';

/** Values that read as "no token": a secret by that name is almost never what was meant. */
const noTokenWords = ['none', 'no', 'off', 'false', 'disabled', 'unsigned'];

/** A Secrets Manager secret's name or ARN, or `create` for one the stack makes. */
const secretReference = v.pipe(
  v.string(),
  v.trim(),
  v.check(
    (reference) => !noTokenWords.includes(reference.toLowerCase()),
    'does not switch the token off: for an unsigned deploy, drop tokenSecret and set unsignedCallbacks=true',
  ),
  // `crete` or `Create` would otherwise deploy a reference to a secret of that name, which does not
  // exist, and every callback would fail reading it. A real secret named that close: give its ARN.
  v.check(
    (reference) => reference === CREATE_TOKEN_SECRET || editDistance(reference.toLowerCase(), CREATE_TOKEN_SECRET) > 2,
    (issue) => `"${String(issue.input)}" is not a secret this stack would find: did you mean ${CREATE_TOKEN_SECRET}? (A secret named like that: give its ARN.)`,
  ),
  v.regex(/^(create|[\w/+=.@-]{1,512}|arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+)$/, 'must be "create", a secret name or a secret ARN'),
);

/** true or false, as a boolean or its text (`-c` values are text). */
const trueOrFalse = v.pipe(
  v.union([v.boolean(), v.picklist(['true', 'false'])], 'must be true or false'),
  v.transform((on) => on === true || on === 'true'),
);

/**
 * What only the deployment needs, on top of the receiver's settings (functions/shared/settings.ts), from
 * cdk.json context or `-c name=value`.
 */
const DeploymentSettingsEntries = v.object({
  ...SettingsSchema.entries,
  /**
   * Where the callback token lives: `create` makes a secret with a generated token to paste into the
   * Chat console (README, "Pasting the token into the console"); a name or ARN uses an existing
   * secret (its value: one token, or several separated by commas while rotating). Default: create.
   */
  tokenSecret: v.optional(secretReference),
  /**
   * Deploys without a token: the function checks the SDKAppID alone, which ships in every client,
   * so anyone who learns the callback URL can post events; synth warns. Not with tokenSecret.
   * Default: false.
   */
  unsignedCallbacks: v.optional(trueOrFalse, false),
  /**
   * API Gateway's steady request rate limit for the stage, per second. An after-event turned away
   * with 429 is lost (Tencent resends only with retry on), so the default is what the table's key
   * design carries, one live room at 10,000 a second, and also API Gateway's default account quota
   * for a region. Above it, ask AWS to raise that quota first. Default: 10000.
   */
  throttleRateLimit: v.optional(wholeNumber(1, 100_000), 10_000),
  /** API Gateway's burst limit for the stage: its default account quota. Default: 5000. */
  throttleBurstLimit: v.optional(wholeNumber(1, 50_000), 5_000),
  /** Reserved concurrency for the function, a ceiling on what a flood can cost. Default: none. */
  reservedConcurrency: v.optional(wholeNumber(1, 1_000)),
  /** X-Ray tracing of the function and its DynamoDB calls. Default: true. */
  tracing: v.optional(trueOrFalse, true),
  /**
   * An e-mail address subscribed to the alarms' SNS topic (confirm the subscription mail). Default:
   * none; the topic is there all the same (output AlarmTopicArn), for any other subscriber.
   */
  alarmEmail: v.optional(v.pipe(v.string(), v.trim(), v.email('must be an e-mail address'))),
  /** The p99 handler duration that raises an alarm, in ms: Tencent gives up at 2000. Default: 1000. */
  latencyAlarmMs: v.optional(wholeNumber(10, 30_000), 1_000),
  /** Days the event bus's archive keeps every published event, for replay (infra/event-fan-out.ts). Default: 7. */
  fanOutArchiveDays: v.optional(wholeNumber(1, 3_650), 7),
  /** Moving a deployed table to the current key design, one index per deploy (README). Default: none. */
  eventsTableMigrationStep: v.optional(MigrationStepSchema),
  /** Leave the table of the second key design out of the stack (retained: it stays in the account). Default: false. */
  retireEventsTable: v.optional(trueOrFalse, false),
  /** Production in view (infra/production-settings.ts, docs/production.md): each off unless given. */
  ...productionContextEntries,
});

/**
 * What each deployment-only setting is for, one line for people: the README's settings table
 * (cli/settings-table.ts), as functions/shared/settings.ts describes the receiver's. Markdown.
 */
export const deploymentSettingDescriptions = {
  tokenSecret:
    '`create` (the stack makes a secret with a generated token, retained with the stack), or the name or ARN of an existing Secrets Manager secret holding the token ([pasting the token](docs/security.md#token)). A value a slip or two from `create` (`crete`, `Create`) is refused: give such a secret by its ARN.',
  unsignedCallbacks:
    '`true` deploys without a token, so only the SDKAppID is checked and anyone who learns the URL can post events; synth warns. Not together with `tokenSecret`.',
  throttleRateLimit: "API Gateway's steady request rate for the stage, per second ([sizing the limits](docs/security.md#sizing)).",
  throttleBurstLimit: "API Gateway's burst limit for the stage.",
  reservedConcurrency: 'Reserved concurrency for the callback function, a ceiling on cost.',
  tracing: 'X-Ray tracing of every function (callback, drain, fan-out, state).',
  alarmEmail:
    "An address subscribed to the alarms' SNS topic (confirm the subscription). Without it the topic (output `AlarmTopicArn`) still receives every alarm, for any subscriber you add, and synth warns that it has none.",
  latencyAlarmMs: 'The p99 duration, in ms, that raises the [`SlowCallbacks`](docs/operations.md#alarm-slow-callbacks) alarm.',
  fanOutArchiveDays: "Days the event bus's archive keeps every published event, for [replay](docs/events-flow.md#replay).",
  eventsTableMigrationStep:
    'Moving a table deployed with the first key design to the second: `1`, `2`, `3`, then unset, one index change per deploy ([moving a deployed table](docs/key-design.md#moving-a-deployed-table)).',
  retireEventsTable:
    '`true` leaves the table of the second key design out of the stack: a new deployment has none to keep; a deployed one stays in the account, retained, with its events, no longer listed ([moving a deployed table](docs/key-design.md#moving-a-deployed-table)).',
  canary:
    'The [canary](docs/production.md#canary): `{"group":"@TGS#canary"}` (or `"account"`), with `every` (`5m`), `wait` (`1m`), `sender`; an object or its JSON text. Needs `tencentCredentialsSecret`.',
  expectedCommands: '[Silence alarms](docs/production.md#silence): how long each command may go unheard, e.g. `{"Group.CallbackAfterSendMsg":"15m"}`.',
  reconcile:
    'The [reconciliation](docs/production.md#reconcile) of the synced view with Tencent: `{"every":"1d","groups":[…],"viewGroups":true,"callsPerSecond":20,"maxGroups":10000}`. Needs `tencentCredentialsSecret`.',
  tencentCredentialsSecret:
    "The name or ARN of the Secrets Manager secret holding Tencent's REST admin credentials ([credentials](docs/tencent-rest.md#credentials)), for the canary and the reconciliation.",
  tencentDomain: "Tencent's REST domain for them: the data centre of the SDKAppID ([domains](docs/tencent-rest.md#domains)); default `china`.",
} as const satisfies Record<Exclude<keyof typeof DeploymentSettingsEntries.entries, SettingName>, string>;

/**
 * The deployment's settings, with the token decided once: `tokenSecret` is the secret to use
 * (`create` unless told otherwise) and is undefined exactly when `unsignedCallbacks` is true.
 * A pipe on the object keeps its `entries`, which infra/strict-context.ts and settingsFromContext read.
 */
export const DeploymentSettingsSchema = v.pipe(
  DeploymentSettingsEntries,
  v.forward(
    v.partialCheck(
      [['tokenSecret'], ['unsignedCallbacks']],
      ({ tokenSecret, unsignedCallbacks }) => !(unsignedCallbacks && tokenSecret !== undefined),
      'cannot be true while tokenSecret is set: drop one of them (unsigned means no token)',
    ),
    ['unsignedCallbacks'],
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const settings = dataset.value;
    const given = settings.tencentCredentialsSecret !== undefined;
    for (const problem of productionProblems(settings, { given, name: 'tencentCredentialsSecret' })) {
      const [name, message] = [problem.slice(0, problem.indexOf(':')), problem.slice(problem.indexOf(':') + 2)];
      addIssue({ message, path: [{ type: 'object', origin: 'value', input: settings, key: name, value: settings[name as 'canary'] }] });
    }
  }),
  v.transform(({ tokenSecret, ...settings }) => ({ ...settings, tokenSecret: settings.unsignedCallbacks ? undefined : (tokenSecret ?? CREATE_TOKEN_SECRET) })),
);

export type DeploymentSettings = v.InferOutput<typeof DeploymentSettingsSchema>;

export const deploymentSettingsFromContext = (context: (name: string) => unknown): DeploymentSettings => settingsFromContext(context, DeploymentSettingsSchema);
