import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import * as v from 'valibot';
import { type Body, type CommandDefinition, subjectsOf } from '../../../functions/commands/definition.ts';
import { nullAsAbsent, tencentShape } from '../../../functions/commands/null-as-absent.ts';
import { commandDefinition, commandRegistry } from '../../../functions/commands/registry.ts';
import { propertyParameters, seededRandom } from '../../support/seed.ts';

/**
 * Peers' models write `null` for every field they did not set (Go's nil slices, Jackson's unset
 * fields): a body like that is what Tencent would have sent without those fields, so it passes its
 * schema, reads the same subjects, and only what is really wrong is a problem.
 */

type Node = v.GenericSchema & {
  readonly type: string;
  readonly pipe?: readonly unknown[];
  readonly wrapped?: Node;
  readonly entries?: Record<string, Node>;
  readonly item?: Node;
};

const definitions = [...commandRegistry.values()];
const named = definitions.map((definition) => [definition.command, definition] as const);
const entriesOf = (definition: CommandDefinition) => (definition.schema as unknown as Node).entries!;
const eventsOf = (definition: CommandDefinition): Body[] => (definition.batch ? (definition.example[definition.batch.list] as Body[]) : [definition.example]);
const parse = (definition: CommandDefinition, body: unknown) => v.safeParse(definition.schema, body);

/** The object schema a field holds, or a list's element's, once optional and its null reading are taken off. */
function objectIn(schema: Node | undefined): Node | undefined {
  let current = schema;
  while (current !== undefined && current.entries === undefined) {
    if (current.type === 'optional' || current.type === 'nullable') current = current.wrapped;
    else if (current.type === 'array') current = current.item;
    else return undefined;
  }
  return current;
}

/**
 * The value with some of its optional fields, at any depth the schema declares them, set to `null`:
 * present ones (a Go nil slice) and absent ones (a Jackson unset field) alike.
 */
function withNulls(schema: Node, value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((element) => withNulls(schema, element, random));
  const object = objectIn(schema);
  if (object === undefined || typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, entry] of Object.entries(object.entries!)) {
    if (entry.type === 'optional' && random() < 0.3) result[key] = null;
    else if (Object.hasOwn(result, key)) result[key] = withNulls(entry, result[key], random);
  }
  return result;
}

describe('null in a field that may be absent', () => {
  test.each(named)('%s: each declared field set to null alone passes, and reads as absent', (_name, definition) => {
    for (const [field, entry] of Object.entries(entriesOf(definition))) {
      expect(entry.type).toBe('optional');
      for (const event of eventsOf(definition)) {
        const result = parse(definition, { ...event, [field]: null });
        expect({ field, issues: result.issues }).toEqual({ field, issues: undefined });
        expect((result.output as Record<string, unknown>)[field]).toBeUndefined();
      }
    }
  });

  test.each(named)('%s: a Jackson body, every field the example leaves unset sent as null, passes and is about the same', (_name, definition) => {
    for (const event of eventsOf(definition)) {
      const unset = Object.keys(entriesOf(definition)).filter((field) => !Object.hasOwn(event, field));
      const body = { ...Object.fromEntries(unset.map((field) => [field, null])), ...event };
      expect(parse(definition, body).issues).toBeUndefined();
      expect(subjectsOf(definition, body)).toEqual(subjectsOf(definition, event));
    }
  });

  test('nulls at any depth the schemas declare a field pass, in every example (seeded)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...definitions), fc.integer(), (definition, seed) => {
        const random = seededRandom(seed);
        for (const event of eventsOf(definition)) {
          const body = withNulls(definition.schema as unknown as Node, event, random);
          expect({ command: definition.command, body, issues: parse(definition, body).issues }).toEqual({
            command: definition.command,
            body,
            issues: undefined,
          });
        }
      }),
      propertyParameters('null-as-absent', { numRuns: 300 }),
    );
  });

  test.each([
    ['a Go nil slice', 'Group.CallbackAfterCreateGroup', { GroupId: '@TGS#1', MemberList: null, UserDefinedDataList: null }],
    ['a member with unset fields', 'Group.CallbackAfterNewMemberJoin', { NewMemberList: [{ Member_Account: 'a', NameCard: null }, { Member_Account: null }] }],
    [
      'an unset message field',
      'C2C.CallbackAfterSendMsg',
      { From_Account: 'a', CloudCustomData: null, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: null } }] },
    ],
    ['an unset EventTime', 'Group.CallbackAfterGroupInfoChanged', { GroupId: '@TGS#1', EventTime: null }],
    ['an unset object', 'State.StateChange', { Info: null, KickedDevice: null }],
    ['an unset field in an object', 'State.StateChange', { Info: { Action: 'Login', To_Account: 'a', Reason: null } }],
  ] as const)('%s passes (%s)', (_case, command, body) => {
    expect(parse(commandDefinition(command), body).issues).toBeUndefined();
  });

  test.each([
    ['a number for a string', 'Group.CallbackAfterCreateGroup', { Name: 5 }],
    ['a string for a list', 'Group.CallbackAfterCreateGroup', { MemberList: 'bob' }],
    ['null for a member, not a field of one', 'Group.CallbackAfterCreateGroup', { MemberList: [null] }],
    ['null among accounts', 'Follow.CallbackAfterFollowDelete', { To_Account: ['a', null] }],
    ['a word for EventTime', 'Group.CallbackAfterGroupInfoChanged', { EventTime: 'yesterday' }],
    ['a number inside a member', 'Group.CallbackAfterNewMemberJoin', { NewMemberList: [{ Member_Account: 7 }] }],
  ] as const)('a wrong type still fails: %s (%s)', (_case, command, body) => {
    const result = parse(commandDefinition(command), body);
    expect(result.success).toBe(false);
  });

  test('entries without an optional field are kept as they are', () => {
    const entries = { Name: v.string(), List: v.array(v.string()) };
    expect(nullAsAbsent(entries)).toBe(entries);
  });

  test('what Tencent sends is told without the null reading (the published JSON Schemas and body types)', () => {
    const { Name } = nullAsAbsent({ Name: v.optional(v.string()) });
    const sent = tencentShape(Name!);
    expect(v.safeParse(sent, null).success).toBe(false);
    expect([v.safeParse(sent, 'n').output, v.safeParse(sent, undefined).success]).toEqual(['n', true]);
    const other = v.optional(v.string());
    expect(tencentShape(other)).toBe(other);
  });

  test('an unknown field is kept whatever it holds, null included', () => {
    expect(parse(commandDefinition('Group.CallbackAfterGroupFull'), { Unknown: null }).output).toEqual({ Unknown: null });
  });
});
