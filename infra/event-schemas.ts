import { type ConversionConfig, toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { tencentShape } from '../functions/commands/null-as-absent.ts';
import { commandRegistry } from '../functions/commands/registry.ts';
import { EVENT_SOURCE, EventDetailSchema, EventEnvelopeSchema, eventDetailSchema, eventEnvelopeSchema } from '../functions/fan-out/event-schema.ts';
import { PolicySchema, policyCommands } from '../functions/policy/policy-schema.ts';
import { docComment, type JsonSchema, typeOf } from './schema-types.ts';

/** Where `npm run schemas` writes, from the project root. */
export const SCHEMAS_DIR = 'schemas';

/** The TypeScript file among them: every after-command's body type (the package exports them, infra/received-event.ts). */
export const BODY_TYPES_FILE = 'after-command-bodies.ts';

/** The parts of a valibot schema's object that to-json-schema walks. */
type Node = v.GenericSchema & {
  readonly pipe?: readonly [Node, ...{ readonly kind: string }[]];
  readonly options?: readonly Node[];
  readonly wrapped?: Node;
  readonly entries?: Record<string, Node>;
  readonly item?: Node;
  readonly value?: Node;
};

/** Whether a schema may change its input's type: a transformation, or a second schema, in a pipe of it or of a part. */
function transforms(schema: Node): boolean {
  const [root, ...actions] = schema.pipe ?? [];
  if (root !== undefined) return transforms(root) || actions.some((item) => item.kind === 'transformation' || item.kind === 'schema');
  return (schema.options ?? []).some(transforms) || (schema.wrapped !== undefined && transforms(schema.wrapped));
}

/**
 * The schema of what it accepts, for JSON Schema: a pipe whose first schema transforms (e.g.
 * `EventTime`: digits or a number, then an integer check on the number) keeps that schema only, since
 * the checks after it apply to the transformed value and, converted, would forbid the string form.
 * (to-json-schema's `typeMode: 'input'` stops at a transformation within one pipe, not after a part
 * that transforms.) Rebuilt shallowly: valibot schemas are plain objects that name their parts.
 */
function inputSide(schema: Node): Node {
  // A field as Tencent sends it: the null a peer's model writes is read as absent, not published as a type.
  const sent = tencentShape(schema) as Node;
  if (sent !== schema) return inputSide(sent);
  if (schema.pipe !== undefined) {
    const [root, ...actions] = schema.pipe;
    if (transforms(root)) return inputSide(root);
    const input = inputSide(root);
    return { ...schema, ...input, pipe: [input, ...actions] } as Node;
  }
  const mapped: Record<string, unknown> = {};
  if (schema.entries !== undefined) mapped.entries = Object.fromEntries(Object.entries(schema.entries).map(([key, entry]) => [key, inputSide(entry)]));
  if (schema.options !== undefined && typeof schema.options[0] === 'object') mapped.options = schema.options.map(inputSide);
  if (schema.wrapped !== undefined) mapped.wrapped = inputSide(schema.wrapped);
  if (schema.item !== undefined) mapped.item = inputSide(schema.item);
  if (schema.value !== undefined) mapped.value = inputSide(schema.value);
  return { ...schema, ...mapped };
}

/**
 * Describes what Tencent sends (the input), which is what the event's `body` carries: conversion
 * stops at a transformation (`typeMode: 'input'`, and inputSide above). Actions JSON Schema cannot
 * say are left out (`errorMode: 'ignore'`): the schema then accepts a little more, never less.
 */
const config: ConversionConfig = { target: 'draft-2020-12', typeMode: 'input', errorMode: 'ignore' };

const jsonSchemaOf = (schema: v.GenericSchema) => toJsonSchema(inputSide(schema as Node), config);

const schemaFile = (id: string, title: string, description: string, schema: v.GenericSchema) =>
  `${JSON.stringify({ $id: id, title, description, ...jsonSchemaOf(schema) }, null, 2)}\n`;

/** The policy's JSON Schema under schemas/ (docs/policy.md#json-schema). */
export const POLICY_SCHEMA_FILE = 'policy.json';

/**
 * The before-callback policy's JSON Schema, from the valibot schema every place that takes a policy
 * checks it with (functions/policy/policy-schema.ts), for editors and for checks of policy files in a
 * team's CI. The command names, which the valibot schema checks against the registry in code, are
 * said here as an enum so that editors complete them. What JSON Schema cannot say (a field's path in
 * the command's body, a code's range, an action the command cannot take, a pattern's cost) is checked
 * by `npm run policy -- --check`, synth, the receiver and its AppConfig validator.
 */
function policySchemaFile(): string {
  const schema = jsonSchemaOf(PolicySchema) as { properties: { rules: { items: { properties: Record<string, unknown> } } } };
  const names = { enum: policyCommands.map((definition) => definition.command).sort() };
  schema.properties.rules.items.properties.command = { anyOf: [names, { type: 'array', items: names, minItems: 1 }] };
  const description =
    'A before-callback policy (docs/policy.md): what JSON Schema can say. Paths, codes, actions and pattern costs are checked by `npm run policy -- --check`.';
  return `${JSON.stringify({ $id: `${EVENT_SOURCE}/${POLICY_SCHEMA_FILE}`, title: 'Tencent IM before-callback policy', description, ...schema }, null, 2)}\n`;
}

/** Every registered after-command's definition, by name: what is stored, so what is published. */
const afterDefinitions = () =>
  [...commandRegistry.values()].filter((definition) => definition.kind === 'after').sort((a, b) => a.command.localeCompare(b.command));

/** `Group.CallbackAfterSendMsg` → `GroupCallbackAfterSendMsg`. */
const typeName = (command: string) => command.replace(/[^A-Za-z0-9]/g, '');

/**
 * One interface per after-command, its body as Tencent sends it (the same input side as the JSON
 * Schemas, with their descriptions), and the map from command name to body that ReceivedEvent reads.
 */
function bodyTypesFile(): string {
  const definitions = afterDefinitions();
  const names = new Map<string, string>();
  for (const { command } of definitions) {
    const name = typeName(command);
    if (names.has(name)) throw new TypeError(`${command} and ${names.get(name)} would both be the type ${name}`);
    names.set(name, command);
  }
  const interfaces = definitions.map((definition) => {
    const sources = definition.sources.map((page) => `https://${page}`).join(', ');
    return `${docComment(`${definition.command}: ${definition.summary}.${sources === '' ? '' : ` ${sources}`}`, '')}export interface ${typeName(definition.command)} ${typeOf(jsonSchemaOf(definition.schema) as JsonSchema, '', definition.command)}\n`;
  });
  return [
    '/**',
    ' * The body of every after-command the receiver stores and publishes, as Tencent sends it, by its',
    ' * CallbackCommand: generated by `npm run schemas` from the command registry (functions/commands/),',
    ' * like the JSON Schemas beside it. Fields Tencent may add are kept in the body but not typed here.',
    ' * Do not edit: test/infra/event-schemas.test.ts fails until it is regenerated.',
    ' */',
    '',
    interfaces.join('\n'),
    "/** Every after-command's body, by its CallbackCommand. */",
    'export interface AfterCommandBodies {',
    ...definitions.map(({ command }) => `  ${JSON.stringify(command).replace(/"/g, "'")}: ${typeName(command)};`),
    '}',
    '',
    '/** The name of an after-command: what `onEvent` subscribes to, and the `detail-type` of its events. */',
    'export type AfterCommand = keyof AfterCommandBodies;',
    '',
  ].join('\n');
}

/**
 * The JSON Schemas consumers generate types from, by file name under schemas/: the event as
 * EventBridge delivers it (`event.json`), its `detail` alone (`detail.json`), and one per registered
 * after-command (`commands/<CallbackCommand>.json`) whose `detail.body` is that command's schema,
 * from the registry's valibot schemas; and those bodies as TypeScript types (BODY_TYPES_FILE).
 * Before-callbacks are never stored, so never published; the policy that answers them is
 * (POLICY_SCHEMA_FILE).
 */
export function eventSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    'event.json',
    schemaFile(`${EVENT_SOURCE}/event.json`, 'Tencent IM event', `Any ${EVENT_SOURCE} event on the bus, as a rule's target receives it`, EventEnvelopeSchema),
  );
  files.set(
    'detail.json',
    schemaFile(`${EVENT_SOURCE}/detail.json`, 'Tencent IM event detail', 'The detail of any tencent.im event: one stored after-event', EventDetailSchema),
  );
  for (const definition of afterDefinitions()) {
    const schema = eventEnvelopeSchema(v.literal(definition.command), eventDetailSchema(definition.schema));
    files.set(
      `commands/${definition.command}.json`,
      schemaFile(`${EVENT_SOURCE}/commands/${definition.command}.json`, definition.command, definition.summary, schema),
    );
  }
  files.set(BODY_TYPES_FILE, bodyTypesFile());
  files.set(POLICY_SCHEMA_FILE, policySchemaFile());
  return files;
}
