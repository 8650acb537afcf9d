import type { CommandDefinition } from '../definition.ts';
import { followAfterFollowAdd } from './after-follow-add.ts';
import { followAfterFollowDelete } from './after-follow-delete.ts';

/** The two follow callbacks (269/1523, 关注与粉丝). */
export const followCommands: readonly CommandDefinition[] = [followAfterFollowAdd, followAfterFollowDelete];
