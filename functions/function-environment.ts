import * as v from 'valibot';

/**
 * What the stack tells the function besides the settings: where things are. Declared here, read by
 * handler.ts and written by lib/callback-stack.ts, so both use the same names.
 */
export const FunctionEnvironmentSchema = v.object({
  /** The events table. */
  EVENTS_TABLE_NAME: v.pipe(v.string('EVENTS_TABLE_NAME must name the events table'), v.nonEmpty()),
  /** The ARN of the secret holding the callback token(s); absent, no Sign is checked. */
  IM_TOKEN_SECRET: v.optional(v.pipe(v.string(), v.nonEmpty())),
});

export type FunctionEnvironment = v.InferOutput<typeof FunctionEnvironmentSchema>;
