import * as v from 'valibot';
import type { CommandDefinition } from './command-definition.ts';
import { groupAfterCreateGroup } from './group-after-create-group.ts';
import { groupAfterCreateTopic } from './group-after-create-topic.ts';
import { groupAfterTopicInfoChanged } from './group-after-topic-info-changed.ts';
import { groupBeforeCreateTopic } from './group-before-create-topic.ts';

/**
 * The one place that knows the callback commands. Routing, the policy's command names and what is
 * stored all derive from this map: to support a command, add a module beside this one and a line here.
 */
export const commandRegistry = {
  'Group.CallbackAfterCreateGroup': groupAfterCreateGroup,
  'Group.CallbackBeforeCreateTopic': groupBeforeCreateTopic,
  'Group.CallbackAfterCreateTopic': groupAfterCreateTopic,
  'Group.CallbackAfterTopicInfoChanged': groupAfterTopicInfoChanged,
} as const satisfies Record<string, CommandDefinition>;

export type RegisteredCommand = keyof typeof commandRegistry;

export type BeforeCommand = {
  [Name in RegisteredCommand]: (typeof commandRegistry)[Name]['kind'] extends 'before' ? Name : never;
}[RegisteredCommand];

/** Any other command (other `Group.*`, `State.*`, `C2C.*`, …) is acknowledged and stored as received. */
export const unregisteredCommand: CommandDefinition<'unregistered'> = {
  kind: 'unregistered',
  // No schema yet: any object the chain let through (a Push.* batch has no top-level command).
  schema: v.looseObject({}),
  summary: 'A command this receiver has no schema for yet (stored as received)',
};

export const isRegisteredCommand = (name: string): name is RegisteredCommand => Object.hasOwn(commandRegistry, name);

export const commandDefinition = (name: string): CommandDefinition =>
  isRegisteredCommand(name) ? commandRegistry[name] : unregisteredCommand;

export const beforeCommands = Object.entries(commandRegistry)
  .filter(([, definition]) => definition.kind === 'before')
  .map(([name]) => name as BeforeCommand);
