import type * as v from 'valibot';

/**
 * How the receiver treats a command:
 * - `before`: Tencent waits for a decision; the policy answers, nothing is stored.
 * - `after`: Tencent reports what happened; the event is stored exactly once.
 * - `unregistered`: a command without a schema yet; acknowledged and stored as received, so nothing
 *   is lost before it gets a definition.
 */
export type CommandKind = 'before' | 'after' | 'unregistered';

export type BodySchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>>;

export interface CommandDefinition<Kind extends CommandKind = CommandKind> {
  readonly kind: Kind;
  readonly schema: BodySchema;
  /** One line for people: shown by the events CLI and the README. */
  readonly summary: string;
}

export const beforeCallback = (summary: string, schema: BodySchema): CommandDefinition<'before'> => ({
  kind: 'before',
  schema,
  summary,
});

export const afterCallback = (summary: string, schema: BodySchema): CommandDefinition<'after'> => ({
  kind: 'after',
  schema,
  summary,
});
