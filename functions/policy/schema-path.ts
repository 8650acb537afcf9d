import type * as v from 'valibot';
import type { PathStep } from '../commands/field-path.ts';

/**
 * Whether a command's valibot schema has a field path, so a policy naming `Nmae` is refused when it
 * loads instead of never matching. A piped schema carries its type itself; optional, nullable and
 * the like wrap another; a union has options, any of which may have the path. Only declared fields
 * count: a loose object keeps unknown keys, but a rule on one is far likelier a typo than a field
 * Tencent sends undocumented. A field typed `unknown` may hold anything, so paths below it pass.
 */

type AnySchema = v.GenericSchema & {
  readonly entries?: Record<string, AnySchema>;
  readonly wrapped?: AnySchema;
  readonly item?: AnySchema;
  readonly options?: readonly AnySchema[];
};

const open = new Set(['unknown', 'any']);
/** What a rule can compare: only strings and numbers (and what could be one). */
const comparable = new Set(['string', 'number', 'unknown', 'any', 'picklist', 'literal', 'enum']);

/** The schema itself, or the alternatives it stands for once wrappers are taken off. */
function alternatives(schema: AnySchema): AnySchema[] {
  if (schema.wrapped !== undefined) return alternatives(schema.wrapped);
  if (schema.options !== undefined && schema.type !== 'picklist' && schema.type !== 'enum') return schema.options.flatMap(alternatives);
  return [schema];
}

/** The schemas found at the end of the path (empty: the schema does not have it). */
export function schemasAt(schema: v.GenericSchema, steps: readonly PathStep[]): v.GenericSchema[] {
  let current = alternatives(schema as AnySchema);
  for (const { key, each } of steps) {
    const next: AnySchema[] = [];
    for (const candidate of current) {
      if (open.has(candidate.type)) {
        next.push(candidate);
        continue;
      }
      // Own keys only: `constructor` is no field of any body.
      if (candidate.entries === undefined || !Object.hasOwn(candidate.entries, key)) continue;
      const entry = candidate.entries[key]!;
      for (const value of alternatives(entry)) {
        if (!each) next.push(value);
        else if (open.has(value.type)) next.push(value);
        else if (value.item !== undefined) next.push(...alternatives(value.item));
      }
    }
    current = next;
  }
  return current;
}

export type PathCheck = 'ok' | 'missing' | 'not-comparable';

/** Whether the path exists, and leads to something a rule can compare (not an object or a list). */
export function checkSchemaPath(schema: v.GenericSchema, steps: readonly PathStep[]): PathCheck {
  const found = schemasAt(schema, steps);
  if (found.length === 0) return 'missing';
  return found.some((end) => comparable.has(end.type)) ? 'ok' : 'not-comparable';
}
