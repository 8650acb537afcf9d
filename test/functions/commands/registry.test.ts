import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { eventTime } from '../../../functions/commands/fields.ts';
import {
  beforeCommands,
  commandDefinition,
  commandRegistry,
  isRegisteredCommand,
  unregisteredCommand,
} from '../../../functions/commands/registry.ts';
import { seedCallbacks, type SeedCommand } from '../../fixtures/seed-callbacks.ts';

const seedCommands = Object.keys(seedCallbacks) as SeedCommand[];

const parse = (command: string, body: Record<string, unknown>) => v.safeParse(commandDefinition(command).schema, body);

describe('the registry', () => {
  test('registers exactly the four marked commands (protocol.md §5.2)', () => {
    expect(Object.keys(commandRegistry).sort()).toEqual([
      'Group.CallbackAfterCreateGroup',
      'Group.CallbackAfterCreateTopic',
      'Group.CallbackAfterTopicInfoChanged',
      'Group.CallbackBeforeCreateTopic',
    ]);
  });

  test.each([
    ['Group.CallbackAfterCreateGroup', 'after'],
    ['Group.CallbackBeforeCreateTopic', 'before'],
    ['Group.CallbackAfterCreateTopic', 'after'],
    ['Group.CallbackAfterTopicInfoChanged', 'after'],
  ])('%s is an %s-callback', (command, kind) => {
    expect(commandDefinition(command).kind).toBe(kind);
  });

  test('beforeCommands lists only the one before-callback', () => {
    expect(beforeCommands).toEqual(['Group.CallbackBeforeCreateTopic']);
  });

  test('every definition has a one-line summary', () => {
    for (const definition of Object.values(commandRegistry)) {
      expect(definition.summary).toMatch(/^\S.*\S$/);
      expect(definition.summary).not.toContain('\n');
    }
  });

  test('a command without a module gets the unregistered definition', () => {
    expect(isRegisteredCommand('State.StateChange')).toBe(false);
    expect(commandDefinition('State.StateChange')).toBe(unregisteredCommand);
    expect(unregisteredCommand.kind).toBe('unregistered');
  });

  test('command names are case-sensitive', () => {
    expect(isRegisteredCommand('group.callbackaftercreategroup')).toBe(false);
    expect(commandDefinition('group.callbackaftercreategroup')).toBe(unregisteredCommand);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    '%s, inherited from Object.prototype, is not a registered command',
    (name) => {
      expect(isRegisteredCommand(name)).toBe(false);
      expect(commandDefinition(name)).toBe(unregisteredCommand);
    },
  );

  test('the unregistered schema keeps the whole body and asks nothing of it (a Push.* batch has no top-level command)', () => {
    const body = { CallbackCommand: 'State.StateChange', Info: { To_Account: 'bob', Action: 'Login' }, EventTime: 'whenever' };
    expect(v.parse(unregisteredCommand.schema, body)).toEqual(body);
    const batch = { Events: [{ CallbackCommand: 'Push.OfflinePush' }] };
    expect(v.parse(unregisteredCommand.schema, batch)).toEqual(batch);
  });
});

describe('the seed callbacks parse against their schemas', () => {
  test.each(seedCommands)('%s', (command) => {
    const body = JSON.parse(seedCallbacks[command]) as Record<string, unknown>;
    const result = parse(command, body);
    expect(result.issues).toBeUndefined();
    expect(result.success).toBe(true);
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
    ['a negative number as text', '-1'],
    ['a fraction', 1.5],
    ['a fraction as text', '1.5'],
    ['an empty string', ''],
    ['a padded string', ' 1670574414123'],
    ['a time beyond year 9999', 253402300800000],
    ['a time beyond year 9999 as text', '253402300800000'],
    ['digits beyond MAX_SAFE_INTEGER', '9007199254740993'],
    ['a number beyond MAX_SAFE_INTEGER', 2 ** 60],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a boolean', true],
    ['null', null],
  ])('rejects %s (%j)', (_, value) => {
    expect(v.safeParse(eventTime, value).success).toBe(false);
  });

  test.each(seedCommands)('is checked the same way in %s', (command) => {
    expect(parse(command, { CallbackCommand: command, EventTime: 1670574414123 }).output).toMatchObject({ EventTime: 1670574414123 });
    expect(parse(command, { CallbackCommand: command, EventTime: 'yesterday' }).success).toBe(false);
  });
});

describe('schema drift (protocol.md §7)', () => {
  test.each(seedCommands)('%s keeps unknown fields in its output', (command) => {
    const body = { CallbackCommand: command, MsgId: 'msg-1', Extra: { nested: [1, 2] }, CreateGroupNum: 3 };
    expect(parse(command, body).output).toEqual(body);
  });

  test.each(seedCommands)('%s needs nothing but CallbackCommand', (command) => {
    expect(parse(command, { CallbackCommand: command })).toMatchObject({ success: true, output: { CallbackCommand: command } });
  });

  test.each(seedCommands)('%s still needs CallbackCommand as a string', (command) => {
    expect(parse(command, {}).success).toBe(false);
    expect(parse(command, { CallbackCommand: 7 }).success).toBe(false);
  });

  test('list items keep their unknown fields too', () => {
    const body = {
      CallbackCommand: 'Group.CallbackAfterCreateGroup',
      MemberList: [{ Member_Account: 'bob', Role: 'Admin' }],
      UserDefinedDataList: [{ Key: 'k', Value: 'v', Extra: 1 }],
    };
    expect(parse('Group.CallbackAfterCreateGroup', body).output).toEqual(body);
  });
});

describe('wrong types fail', () => {
  test.each([
    ['Group.CallbackAfterCreateGroup', { Name: 5 }],
    ['Group.CallbackAfterCreateGroup', { MemberList: 'bob' }],
    ['Group.CallbackAfterCreateGroup', { MemberList: [{ Member_Account: 7 }] }],
    ['Group.CallbackAfterCreateGroup', { UserDefinedDataList: [{ Key: 1 }] }],
    ['Group.CallbackAfterCreateGroup', { UserDefinedDataList: [{ Key: 'k', Value: 2 }] }],
    ['Group.CallbackAfterCreateGroup', { GroupId: 123 }],
    ['Group.CallbackAfterCreateGroup', { Owner_Account: ['leckie'] }],
    ['Group.CallbackBeforeCreateTopic', { Name: 5 }],
    ['Group.CallbackBeforeCreateTopic', { Operator_Account: null }],
    ['Group.CallbackAfterCreateTopic', { TopicId: 1 }],
    ['Group.CallbackAfterCreateTopic', { UserDefinedDataList: [{ Key: 1 }] }],
    ['Group.CallbackAfterTopicInfoChanged', { FaceUrl: {} }],
    ['Group.CallbackAfterTopicInfoChanged', { Type: 1 }],
  ])('%s with %j', (command, fields) => {
    expect(parse(command, { CallbackCommand: command, ...fields }).success).toBe(false);
  });
});
