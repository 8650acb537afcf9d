import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { subjectsOf } from '../../../functions/commands/definition.ts';
import { families } from '../../../functions/commands/families.ts';
import { parsePath, readPath } from '../../../functions/commands/field-path.ts';
import { eventTime } from '../../../functions/commands/fields.ts';
import {
  afterCommands,
  beforeCommands,
  commandDefinition,
  commandRegistry,
  eventKindOf,
  isRegisteredCommand,
  registeredCommands,
  unknownCommand,
} from '../../../functions/commands/registry.ts';
import { checkSchemaPath } from '../../../functions/policy/schema-path.ts';
import { type SeedCommand, seedCallbacks } from '../../fixtures/seed-callbacks.ts';

const definitions = [...commandRegistry.values()];
const named = definitions.map((definition) => [definition.command, definition] as const);
const seedCommands = Object.keys(seedCallbacks) as SeedCommand[];

/** What a definition's schema is checked against: the body, or each item of a batch. */
const eventsOfExample = (command: string) => {
  const definition = commandDefinition(command);
  return definition.batch === undefined ? [definition.example] : (definition.example[definition.batch.list] as Record<string, unknown>[]);
};

const parse = (command: string, body: unknown) => v.safeParse(commandDefinition(command).schema, body);

describe('the registry', () => {
  test('holds every Group.* command of the master list and the message edit (docs/protocol.md#group), and commands of every family Tencent documents (docs/protocol.md#families)', () => {
    expect(registeredCommands.filter((name) => name.startsWith('Group.'))).toHaveLength(25);
    expect(new Set(definitions.map((definition) => definition.family))).toEqual(
      new Set([
        ...['Group', 'C2C', 'State', 'Profile', 'Sns', 'Follow', 'OfficialAccount', 'Bot', 'Chatbot', 'Push', 'Alert', 'ContentCallback'],
        // The products sold with Chat that call back in its envelope (docs/protocol.md#products).
        ...['Live', 'Mic', 'Room', 'Call'],
      ]),
    );
  });

  test('each family module lists the commands of one family, and the registry holds them all', () => {
    for (const list of families) {
      expect(list.length).toBeGreaterThan(0);
      expect(new Set(list.map((definition) => definition.family)).size).toBe(1);
    }
    expect(families.flat().map((definition) => definition.command)).toEqual(registeredCommands);
  });

  test('lists each command once, by the name its definition carries', () => {
    expect(new Set(registeredCommands).size).toBe(registeredCommands.length);
    for (const [name, definition] of commandRegistry) expect(definition.command).toBe(name);
  });

  test("beforeCommands and afterCommands split the registry by kind, by Tencent's naming", () => {
    expect([...beforeCommands, ...afterCommands].sort()).toEqual([...registeredCommands].sort());
    for (const name of beforeCommands) expect(name).toMatch(/\.Callback(Before|Prev)/);
    for (const name of afterCommands) expect(name).not.toMatch(/\.Callback(Before|Prev)/);
  });

  test.each(named)('%s has a one-line summary, its pages and its family, and is of the kind its name says', (name, definition) => {
    expect(definition.summary).toMatch(/^\S[^\n]*\S$/);
    expect(definition.sources.length).toBeGreaterThan(0);
    for (const source of definition.sources) expect(source).toMatch(/^(?!https?:\/\/)[a-z0-9.-]+\.[a-z]+\/\S+$/);
    expect(name.startsWith(`${definition.family}.`)).toBe(true);
    expect(definition.registered).toBe(true);
    // What an unknown command of the same name would be taken for.
    expect(unknownCommand(name).kind).toBe(definition.kind);
  });

  test.each(named)('%s: its subject, time, record and answer paths name fields its schema declares, holding strings', (_name, definition) => {
    const { answers, subjects } = definition;
    const paths = [
      subjects.groupId,
      subjects.topicId,
      ...(subjects.groups ?? []),
      ...Object.values(subjects.accounts).flat(),
      ...(subjects.busy === undefined || subjects.busy === true ? [] : [subjects.busy.path]),
      ...definition.timeFields.map((field) => field.path),
      ...Object.values(definition.recordFields),
      ...(answers?.refuseMembers ? [answers.refuseMembers.accounts] : []),
      ...(answers?.perItem ? [`${answers.perItem.list}[].${answers.perItem.account}`] : []),
    ].filter((path) => path !== undefined);
    for (const path of paths) expect({ path, check: checkSchemaPath(definition.schema, parsePath(path)!) }).toEqual({ path, check: 'ok' });
  });

  test.each(named)('%s: its place and actor are roles it declares, and no record field is named as a role', (_name, definition) => {
    const { place, actor, accounts } = definition.subjects;
    for (const role of [place, actor].filter((name) => name !== undefined)) expect(Object.keys(accounts)).toContain(role);
    for (const name of Object.keys(definition.recordFields)) expect(Object.keys(accounts)).not.toContain(name);
  });

  test.each(named.filter(([, definition]) => definition.kind === 'before'))('%s declares its refusal codes', (_name, definition) => {
    expect(definition.answers?.refusalCodes.length).toBeGreaterThan(0);
    for (const range of definition.answers!.refusalCodes) expect(range.min).toBeLessThanOrEqual(range.max);
  });

  test.each(named.filter(([, definition]) => definition.kind === 'after'))('%s, an after-callback, declares no answers', (_name, definition) => {
    expect(definition.answers).toBeUndefined();
  });
});

describe('every example', () => {
  test.each(named)('%s parses against its own schema, and names its own command if any', (name) => {
    for (const event of eventsOfExample(name)) {
      const result = parse(name, event);
      expect(result.issues).toBeUndefined();
      // ContentCallback.ResultNotify sends no CallbackCommand: the chain takes the URL's.
      if (event.CallbackCommand !== undefined) expect(event.CallbackCommand).toBe(name);
    }
  });

  test('has a place, a group or an account, but for the events about the whole app (the daily group quota, an API over its limit, the live rooms near their limit)', () => {
    const nowhere = definitions
      .filter((definition) => definition.kind === 'after')
      .filter((definition) =>
        eventsOfExample(definition.command).some((event) => {
          const { groupId, placeAccount } = subjectsOf(definition, event);
          return groupId === undefined && placeAccount === undefined;
        }),
      )
      .map((definition) => definition.command);
    expect(nowhere.sort()).toEqual(['Alert.RequestOverLimit', 'Group.CallbackOnDailyGroupQuotaAlarm', 'Live.CallbackAfterCreateRoomReachingThreshold']);
  });

  test('names an account, but for the events about a group alone or the whole app', () => {
    const noAccount = definitions
      .filter((definition) => definition.kind === 'after')
      .filter((definition) => eventsOfExample(definition.command).some((event) => subjectsOf(definition, event).accounts.length === 0))
      .map((definition) => definition.command);
    // Copied from pages that leave the operator out (a full group, a message's extensions), or about topics or the app.
    expect(noAccount.sort()).toEqual([
      'Alert.RequestOverLimit',
      'Group.CallbackAfterGroupFull',
      'Group.CallbackAfterGroupMsgExtension',
      'Group.CallbackAfterTopicDestroyed',
      'Group.CallbackOnDailyGroupQuotaAlarm',
    ]);
  });

  test.each(named.filter(([, definition]) => definition.kind === 'after'))('%s: its time is its first time field with a usable value', (_name, definition) => {
    for (const event of eventsOfExample(definition.command)) {
      const first = definition.timeFields.find(({ path }) => readPath(event, path)[0] !== undefined);
      const { time, timeField } = subjectsOf(definition, event);
      expect({ time, timeField }).toEqual(
        first === undefined
          ? { time: undefined, timeField: undefined }
          : { time: Number(readPath(event, first.path)[0]) * (first.unit === 's' ? 1000 : 1), timeField: first.path },
      );
    }
  });
});

describe('commands without a definition', () => {
  test.each([
    ['Foo.CallbackBeforeThing', 'before', 'before'],
    ['Foo.CallbackPrevThing', 'before', 'before'],
    ['Foo.CallbackAfterThing', 'after', 'unregistered'],
    ['Foo.OnThing', 'after', 'unregistered'],
    ['NoDot', 'after', 'unregistered'],
  ])('%s is a %s-callback by its name (stored kind %s)', (name, kind, stored) => {
    const definition = commandDefinition(name);
    expect(definition).toMatchObject({ command: name, kind, registered: false });
    expect(eventKindOf(definition)).toBe(stored);
    expect(v.parse(definition.schema, { anything: [1] })).toEqual({ anything: [1] });
  });

  test('command names are case-sensitive', () => {
    expect(isRegisteredCommand('group.callbackaftercreategroup')).toBe(false);
    expect(commandDefinition('group.callbackaftercreategroup').registered).toBe(false);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    '%s, inherited from Object.prototype, is not a registered command',
    (name) => {
      expect(isRegisteredCommand(name)).toBe(false);
      expect(commandDefinition(name).registered).toBe(false);
    },
  );
});

describe('the seed callbacks parse against their schemas', () => {
  test.each(seedCommands)('%s', (command) => {
    const result = parse(command, JSON.parse(seedCallbacks[command]));
    expect(result.issues).toBeUndefined();
  });

  test('AfterCreateGroup turns the seed string EventTime into milliseconds', () => {
    const body = JSON.parse(seedCallbacks['Group.CallbackAfterCreateGroup']) as Record<string, unknown>;
    expect(body.EventTime).toBe('1670574414123');
    expect(parse('Group.CallbackAfterCreateGroup', body).output).toMatchObject({ EventTime: 1670574414123 });
  });
});

describe('EventTime', () => {
  test.each([
    ['a string', '1670574414123'],
    ['a number', 1670574414123],
  ])('is accepted as %s, in milliseconds', (_, value) => {
    expect(v.parse(eventTime, value)).toBe(1670574414123);
  });

  test.each([0, '0', 253402300799999])('accepts the bounds: %j', (value) => {
    expect(v.safeParse(eventTime, value).success).toBe(true);
  });

  test.each([
    ['a word', 'yesterday'],
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['a fraction as text', '1.5'],
    ['an empty string', ''],
    ['a padded string', ' 1670574414123'],
    ['a time beyond year 9999', 253402300800000],
    ['digits beyond MAX_SAFE_INTEGER', '9007199254740993'],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['null', null],
  ])('rejects %s (%j)', (_, value) => {
    expect(v.safeParse(eventTime, value).success).toBe(false);
  });
});

describe('schema drift (docs/protocol.md#field-types)', () => {
  test.each(named)('%s keeps unknown fields in its output', (name) => {
    const body = { ...eventsOfExample(name)[0], UnknownField: { nested: [1, 2] } };
    expect(parse(name, body).output).toMatchObject({ UnknownField: { nested: [1, 2] } });
  });

  test.each(named)('%s needs no documented field', (name) => {
    expect(parse(name, {}).success).toBe(true);
  });

  test('list items keep their unknown fields too', () => {
    const body = { MemberList: [{ Member_Account: 'bob', Role: 'Admin' }], UserDefinedDataList: [{ Key: 'k', Value: { java: 'object' }, Extra: 1 }] };
    expect(parse('Group.CallbackAfterCreateGroup', body).output).toEqual(body);
  });

  test.each([
    ['Group.CallbackAfterCreateGroup', { Name: 5 }],
    ['Group.CallbackAfterCreateGroup', { MemberList: 'bob' }],
    ['Group.CallbackAfterCreateGroup', { MemberList: [{ Member_Account: 7 }] }],
    ['Group.CallbackAfterCreateGroup', { GroupId: 123 }],
    ['Group.CallbackBeforeCreateTopic', { Name: 5 }],
    ['Group.CallbackAfterTopicInfoChanged', { FaceUrl: {} }],
    ['Group.CallbackAfterSendMsg', { MsgBody: [{ MsgContent: { Text: 5 } }] }],
  ])('wrong types still fail: %s with %j', (command, fields) => {
    expect(parse(command, fields).success).toBe(false);
  });
});
