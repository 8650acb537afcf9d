import * as v from 'valibot';

/**
 * What the stack tells the functions besides the settings: where things are. Declared here, read by
 * the handlers and written by infra/callback-stack.ts, so both use the same names.
 */
export const StoreEnvironmentSchema = v.object({
  /** The events table. */
  EVENTS_TABLE_NAME: v.pipe(v.string('EVENTS_TABLE_NAME must name the events table'), v.nonEmpty()),
});

export const CallbackEnvironmentSchema = v.object({
  ...StoreEnvironmentSchema.entries,
  /** The ARN of the secret holding the callback token(s); absent, no Sign is checked. */
  IM_TOKEN_SECRET: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** The queue that keeps after-events the table cannot take in time; absent, such a callback gets 503. */
  FALLBACK_QUEUE_URL: v.optional(v.pipe(v.string(), v.url())),
  /** The policy counters table (rate and repeat-offender rules); absent, those rules never match. */
  POLICY_COUNTERS_TABLE_NAME: v.optional(v.pipe(v.string(), v.nonEmpty())),
});

export type CallbackEnvironment = v.InferOutput<typeof CallbackEnvironmentSchema>;
