import * as v from 'valibot';

/** What the stack tells the state consumer: where the state table is. Read by the handler, written by infra/synced-state.ts. */
export const StateEnvironmentSchema = v.object({
  STATE_TABLE_NAME: v.pipe(v.string('STATE_TABLE_NAME must name the state table'), v.nonEmpty()),
});

export type StateEnvironment = v.InferOutput<typeof StateEnvironmentSchema>;
