import type { CommandDefinition } from './definition.ts';
import { groupCommands } from './group/index.ts';
import { stateCommands } from './state/index.ts';

/**
 * Every family's commands, in the order the README lists them. A family is a folder beside this
 * file with a module per command and its shared fields, subjects and codes (family.ts).
 */
export const families: readonly (readonly CommandDefinition[])[] = [groupCommands, stateCommands];
