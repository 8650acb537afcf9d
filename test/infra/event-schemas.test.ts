import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { afterCommands, commandRegistry } from '../../functions/commands/registry.ts';
import { policyCommands, RuleShape } from '../../functions/policy/policy-schema.ts';
import { BODY_TYPES_FILE, eventSchemaFiles, POLICY_SCHEMA_FILE, SCHEMAS_DIR } from '../../infra/event-schemas.ts';
import { typeOf } from '../../infra/schema-types.ts';
import { projectRoot } from '../support/processes.ts';

// Issue 11: a JSON Schema per command for the bus's consumers, generated from the registry's valibot
// schemas by `npm run schemas` and committed under schemas/.

const directory = join(projectRoot, SCHEMAS_DIR);

function committedFiles(dir = directory): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [name, text] of committedFiles(path)) files.set(name, text);
    else files.set(relative(directory, path), readFileSync(path, 'utf8'));
  }
  return files;
}

const generated = eventSchemaFiles();
const parsed = (name: string) => JSON.parse(generated.get(name)!) as Record<string, any>;

describe('schemas/', () => {
  test('is exactly what the registry generates: run `npm run schemas` after changing a command', () => {
    const committed = committedFiles();
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect({ name, text: committed.get(name) }).toEqual({ name, text });
  });

  test('has the envelope, the detail, and one file per after-command; none for before-callbacks', () => {
    expect(generated.has('event.json')).toBe(true);
    expect(generated.has('detail.json')).toBe(true);
    const commands = [...generated.keys()].filter((name) => name.startsWith('commands/')).map((name) => name.slice('commands/'.length, -'.json'.length));
    expect(commands.sort()).toEqual([...afterCommands].sort());
  });

  test("a command's schema is the event EventBridge delivers, its detail-type the command and its body the command's fields", () => {
    const schema = parsed('commands/Group.CallbackAfterSendMsg.json');
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Group.CallbackAfterSendMsg',
      description: commandRegistry.get('Group.CallbackAfterSendMsg')!.summary,
    });
    expect(schema.required).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(schema.properties['detail-type']).toEqual({ const: 'Group.CallbackAfterSendMsg' });
    expect(schema.properties.source).toEqual({ const: 'tencent.im' });
    const detail = schema.properties.detail;
    expect(detail.required).toEqual(['eventId', 'sdkAppId', 'command', 'kind', 'receivedAt']);
    expect(detail.properties.bodyOmitted).toMatchObject({ const: true, description: expect.stringMatching(/by eventId/) });
    expect(detail.properties.eventId.description).toMatch(/deduplication key/);
    const body = detail.properties.body;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['GroupId', 'From_Account', 'MsgBody', 'MsgSeq', 'EventTime']));
    // Unknown fields are kept, as the receiver keeps them.
    expect(body.additionalProperties).toBeUndefined();
  });

  test('describes what Tencent sends, before any transformation: EventTime as digits or a number, nothing the number check adds', () => {
    const eventTime = parsed('commands/Group.CallbackAfterCreateGroup.json').properties.detail.properties.body.properties.EventTime;
    expect(eventTime).toEqual({ anyOf: [{ type: 'number' }, { type: 'string', pattern: '^\\d+$' }] });
  });
});

describe('schemas/after-command-bodies.ts, the TypeScript of the same schemas', () => {
  test('has one interface per after-command, in the map ReceivedEvent reads, each with its summary and pages', () => {
    const types = generated.get(BODY_TYPES_FILE)!;
    const interfaces = [...types.matchAll(/^export interface (\w+) /gm)].map(([, name]) => name);
    expect(interfaces).toHaveLength(afterCommands.length + 1);
    for (const command of afterCommands) expect(types).toContain(`  '${command}': ${command.replace(/[^A-Za-z0-9]/g, '')};`);
    expect(types).toContain(`/** Group.CallbackAfterSendMsg: ${commandRegistry.get('Group.CallbackAfterSendMsg')!.summary}.`);
  });

  test.each([
    [
      { type: 'object', properties: { a: { type: 'string', description: 'the a' }, 'b-c': { type: 'integer' } }, required: ['a'] },
      '{\n  /** the a */\n  a: string;\n  "b-c"?: number;\n}',
    ],
    [{ type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^\\d+$' }] } }, '(number | string)[]'],
    [{ enum: ['after', 'unregistered'], type: 'string' }, '"after" | "unregistered"'],
    [{ const: true }, 'true'],
    [{ type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} }, 'Record<string, unknown>'],
    [{}, 'unknown'],
  ])('writes %j as %s', (schema, type) => {
    expect(typeOf(schema)).toBe(type);
  });

  test('refuses a keyword it cannot type, naming where it is, rather than type it wrongly', () => {
    expect(() => typeOf({ type: 'object', properties: { a: { if: {} } } }, '', 'Group.X')).toThrow(
      /Group.X.a: no TypeScript for the JSON Schema keyword\(s\) if/,
    );
    expect(() => typeOf({ type: 'tuple' })).toThrow(/no TypeScript for the JSON Schema type tuple/);
  });
});

describe('schemas/policy.json', () => {
  test('the policy’s schema, from the valibot one: every rule property, the commands a rule may name, strict objects', () => {
    const schema = parsed(POLICY_SCHEMA_FILE);
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'tencent.im/policy.json', required: ['rules'] });
    const rule = schema.properties.rules.items;
    expect(Object.keys(rule.properties).sort()).toEqual(Object.keys(RuleShape.entries).sort());
    expect(rule.additionalProperties).toBe(false);
    expect(rule.properties.command.anyOf[0].enum).toEqual(policyCommands.map((definition) => definition.command).sort());
    expect(rule.properties.command.anyOf[0].enum).toContain('Chatbot.OnC2CSignalMessage');
    expect(rule.properties.mode).toEqual({ enum: ['enforce', 'shadow'], type: 'string' });
    expect(rule.properties.rate.required).toEqual(['per', 'limit', 'window']);
  });
});
