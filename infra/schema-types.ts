/**
 * TypeScript types from the JSON Schemas infra/event-schemas.ts generates: the part of JSON Schema
 * that @valibot/to-json-schema writes for the registry's schemas (object, array, string, number,
 * integer, boolean, null, const, enum, anyOf, oneOf, allOf; `{}` for anything), and a clear error for
 * the rest, so a new kind of field cannot be typed wrongly without notice.
 */

/** A JSON Schema, as far as the generated schemas use it. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly description?: string;
  readonly [keyword: string]: unknown;
}

/** Keywords that only narrow a value TypeScript already types (or describe it). */
const narrowing = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'format',
  'default',
  'examples',
]);
const understood = new Set([
  ...narrowing,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'const',
  'enum',
  'anyOf',
  'oneOf',
  'allOf',
]);

const identifier = /^[A-Za-z_$][\w$]*$/;
const propertyName = (name: string) => (identifier.test(name) ? name : JSON.stringify(name));

/** A description as a doc comment, at an indent. */
export function docComment(text: string | undefined, indent: string): string {
  if (text === undefined || text === '') return '';
  return `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n`;
}

const union = (types: string[]) => {
  const distinct = [...new Set(types)];
  return distinct.length === 1 ? distinct[0]! : distinct.join(' | ');
};

/** The type of a schema, written at `indent` (objects span lines). `where` names it in an error. */
export function typeOf(schema: JsonSchema, indent = '', where = 'schema'): string {
  const unknownKeywords = Object.keys(schema).filter((keyword) => !understood.has(keyword));
  if (unknownKeywords.length > 0) throw new TypeError(`${where}: no TypeScript for the JSON Schema keyword(s) ${unknownKeywords.join(', ')}`);
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) return union(schema.enum.map((value) => JSON.stringify(value)));
  const options = schema.anyOf ?? schema.oneOf;
  if (options !== undefined) return union(options.map((option, index) => typeOf(option, indent, `${where}.anyOf[${index}]`)));
  if (schema.allOf !== undefined) return schema.allOf.map((part, index) => typeOf(part, indent, `${where}.allOf[${index}]`)).join(' & ');
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length === 0) return schema.properties === undefined ? 'unknown' : objectType(schema, indent, where);
  return union(
    types.map((type) => {
      switch (type) {
        case 'object':
          return objectType(schema, indent, where);
        case 'array': {
          const item = schema.items === undefined ? 'unknown' : typeOf(schema.items, indent, `${where}[]`);
          return /[|&\s]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
        }
        case 'string':
        case 'number':
        case 'boolean':
        case 'null':
          return type;
        case 'integer':
          return 'number';
        default:
          throw new TypeError(`${where}: no TypeScript for the JSON Schema type ${type}`);
      }
    }),
  );
}

/**
 * An object's members, with their descriptions. Unknown members (a loose object) are not typed: the
 * body keeps them, but a typed field should be one the registry declares, so a misspelt one fails to
 * compile. A record (`additionalProperties` alone) is a Record.
 */
function objectType(schema: JsonSchema, indent: string, where: string): string {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (properties.length === 0) {
    return typeof extra === 'object' ? `Record<string, ${typeOf(extra, indent, `${where}{}`)}>` : 'Record<string, unknown>';
  }
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const members = properties.map(
    ([name, property]) =>
      `${docComment(property.description, inner)}${inner}${propertyName(name)}${required.has(name) ? '' : '?'}: ${typeOf(property, inner, `${where}.${name}`)};\n`,
  );
  return `{\n${members.join('')}${indent}}`;
}
