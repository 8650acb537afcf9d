import * as v from 'valibot';
import { BUSY_ACCOUNTS_VARIABLE, BusyAccountsSchema } from './busy-accounts.ts';

/**
 * What the stack tells the functions besides the settings: where things are. Declared here, read by
 * the handlers and written by infra/callback-stack.ts, so both use the same names.
 */
export const StoreEnvironmentSchema = v.object({
  /** The events table. */
  EVENTS_TABLE_NAME: v.pipe(v.string('EVENTS_TABLE_NAME must name the events table'), v.nonEmpty()),
});

/**
 * The `busyAccounts` setting (busy-accounts.ts), for the functions that write events or their derived
 * items without reading the other settings (the drain, the fan-out's indexer): every writer keys an
 * event by the same rules as the receiver, which reads it with its settings.
 */
export const KeyRulesEnvironmentSchema = v.object({
  [BUSY_ACCOUNTS_VARIABLE]: v.optional(BusyAccountsSchema, []),
});

export const CallbackEnvironmentSchema = v.object({
  ...StoreEnvironmentSchema.entries,
  /** The ARN of the secret holding the callback token(s); absent, no Sign is checked. */
  IM_TOKEN_SECRET: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** The queue that keeps after-events the table cannot take in time; absent, such a callback gets 503. */
  FALLBACK_QUEUE_URL: v.optional(v.pipe(v.string(), v.url())),
  /** The policy counters table (rate and repeat-offender rules); absent, those rules never match. */
  POLICY_COUNTERS_TABLE_NAME: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** Where the policy is in AppConfig (all three, or none: the layer's copy alone, docs/policy.md#without-a-deploy). */
  POLICY_APPCONFIG_APPLICATION: v.optional(v.pipe(v.string(), v.nonEmpty())),
  POLICY_APPCONFIG_ENVIRONMENT: v.optional(v.pipe(v.string(), v.nonEmpty())),
  POLICY_APPCONFIG_PROFILE: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** How often the function asks AppConfig for a newer policy, in seconds. Default: 45 (live-policy.ts). */
  POLICY_REFRESH_SECONDS: v.optional(v.pipe(v.string(), v.digits(), v.toNumber(), v.minValue(1), v.maxValue(3_600))),
});

export type CallbackEnvironment = v.InferOutput<typeof CallbackEnvironmentSchema>;
