import type { CommandDefinition } from '../definition.ts';
import { profilePortraitSet } from './portrait-set.ts';

/** The one profile callback (269/1523, 资料关系链). */
export const profileCommands: readonly CommandDefinition[] = [profilePortraitSet];
