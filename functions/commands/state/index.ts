import type { CommandDefinition } from '../definition.ts';
import { stateStateChange } from './state-change.ts';

/** The one State callback (protocol-families.md §2). */
export const stateCommands: readonly CommandDefinition[] = [stateStateChange];
