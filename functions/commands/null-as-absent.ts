import * as v from 'valibot';

/**
 * `null` where a schema lets a field be absent is read as absent: peers' models write it for every
 * field they did not set (Go's nil slices, `"MemberList": null`; Jackson's unset fields,
 * `"CloudCustomData": null`), and such a body is what Tencent would have sent without the field.
 * Applied to a definition's entries by defineFamily, and inside them to the objects a field holds
 * (lists of objects included), so a member's `"NameCard": null` passes too. A wrong type still fails.
 *
 * The schemas are rebuilt with valibot's own constructors; what cannot hold an optional field (a
 * string, a piped schema such as `EventTime`) is kept as it is. `tencentShape` takes it off again.
 */

type Node = v.GenericSchema & {
  readonly type: string;
  readonly pipe?: readonly unknown[];
  readonly wrapped?: Node;
  readonly default?: unknown;
  readonly entries?: Readonly<Record<string, Node>>;
  readonly item?: Node;
  readonly options?: readonly Node[];
  readonly message?: v.ErrorMessage<v.BaseIssue<unknown>>;
};

const absentIfNull = v.transform((value: unknown) => (value === null ? undefined : value));

/**
 * A schema as Tencent sends what it checks: an optional field's null reading taken off (this one
 * level; a caller walking the schema meets the ones below), any other schema as it is. For those who
 * describe Tencent's bodies to consumers (the JSON Schemas and body types, infra/event-schemas.ts):
 * Tencent never sends null, so the published types stay what its pages say.
 */
export function tencentShape(schema: v.GenericSchema): v.GenericSchema {
  const node = schema as Node;
  const wrapped = node.type === 'optional' && node.pipe === undefined ? node.wrapped : undefined;
  if (wrapped?.pipe?.[1] !== absentIfNull) return schema;
  return v.optional(wrapped.wrapped!, node.default as never);
}

/** The entries with every optional one (and those of the objects it holds) reading `null` as absent. */
export function nullAsAbsent(entries: v.ObjectEntries): v.ObjectEntries {
  let changed = false;
  const mapped: Record<string, v.GenericSchema> = {};
  for (const [key, entry] of Object.entries(entries)) {
    mapped[key] = tolerant(entry as Node);
    changed ||= mapped[key] !== entry;
  }
  return changed ? mapped : entries;
}

function tolerant(schema: Node): v.GenericSchema {
  // A pipe keeps its actions on what its first schema gave: left whole.
  if (schema.pipe !== undefined) return schema;
  switch (schema.type) {
    case 'optional': {
      const inner = tolerant(schema.wrapped!);
      return v.optional(v.pipe(v.nullable(inner), absentIfNull), schema.default as never);
    }
    case 'nullable':
    case 'nullish': {
      const inner = tolerant(schema.wrapped!);
      if (inner === schema.wrapped) return schema;
      return schema.type === 'nullable' ? v.nullable(inner, schema.default as never) : v.nullish(inner, schema.default as never);
    }
    case 'loose_object':
    case 'object':
    case 'strict_object': {
      const entries = nullAsAbsent(schema.entries as v.ObjectEntries);
      if (entries === schema.entries) return schema;
      const message = schema.message as never;
      if (schema.type === 'loose_object') return v.looseObject(entries, message);
      return schema.type === 'object' ? v.object(entries, message) : v.strictObject(entries, message);
    }
    case 'array': {
      const item = tolerant(schema.item!);
      return item === schema.item ? schema : v.array(item, schema.message as never);
    }
    case 'union': {
      const options = schema.options!.map(tolerant);
      return options.every((option, index) => option === schema.options![index]) ? schema : v.union(options, schema.message as never);
    }
    default:
      return schema;
  }
}
