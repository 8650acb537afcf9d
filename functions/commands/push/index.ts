import type { CommandDefinition } from '../definition.ts';
import { pushAllMemberPush } from './all-member-push.ts';
import { pushOfflinePush } from './offline-push.ts';

/** The two Push plugin callbacks (1047/67552, 1047/67551). */
export const pushCommands: readonly CommandDefinition[] = [pushOfflinePush, pushAllMemberPush];
