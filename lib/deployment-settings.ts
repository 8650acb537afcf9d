import * as v from 'valibot';
import { SettingsSchema, settingsFromContext, wholeNumber } from '../functions/settings.ts';
import { MigrationStepSchema } from './events-table.ts';

/** A Secrets Manager secret's name or ARN, or `create` for one the stack makes. */
const secretReference = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^(create|[\w/+=.@-]{1,512}|arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+)$/, 'must be "create", a secret name or a secret ARN'),
);

/**
 * What only the deployment needs, on top of the receiver's settings (functions/settings.ts), from
 * cdk.json context or `-c name=value`.
 */
export const DeploymentSettingsSchema = v.object({
  ...SettingsSchema.entries,
  /**
   * Where the callback token lives: `create` makes a secret with a generated token to paste into the
   * Chat console; a name or ARN uses an existing secret (its value: one token, or several separated by
   * commas while rotating). Default: none, so no Sign is checked and synth warns.
   */
  tokenSecret: v.optional(secretReference),
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
  tracing: v.optional(v.pipe(v.union([v.boolean(), v.picklist(['true', 'false'])], 'must be true or false'), v.transform((on) => on === true || on === 'true')), true),
  /** An e-mail address subscribed to the alarms' SNS topic (confirm the subscription mail). Default: no topic. */
  alarmEmail: v.optional(v.pipe(v.string(), v.trim(), v.email('must be an e-mail address'))),
  /** The p99 handler duration that raises an alarm, in ms: Tencent gives up at 2000. Default: 1000. */
  latencyAlarmMs: v.optional(wholeNumber(10, 30_000), 1_000),
  /** Days the event bus's archive keeps every published event, for replay (lib/event-fan-out.ts). Default: 7. */
  fanOutArchiveDays: v.optional(wholeNumber(1, 3_650), 7),
  /** Moving a deployed table to the current key design, one index per deploy (README). Default: none. */
  eventsTableMigrationStep: v.optional(MigrationStepSchema),
});

export type DeploymentSettings = v.InferOutput<typeof DeploymentSettingsSchema>;

export const deploymentSettingsFromContext = (context: (name: string) => unknown): DeploymentSettings =>
  settingsFromContext(context, DeploymentSettingsSchema);
