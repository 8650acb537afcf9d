import type { CommandDefinition } from '../definition.ts';
import { stateStateChange } from './state-change.ts';

/** The one State callback (docs/protocol.md#state). */
export const stateCommands: readonly CommandDefinition[] = [stateStateChange];
