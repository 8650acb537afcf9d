import type { CommandDefinition } from '../definition.ts';
import { snsBlackListAdd } from './black-list-add.ts';
import { snsBlackListDelete } from './black-list-delete.ts';
import { snsFriendAdd } from './friend-add.ts';
import { snsFriendDelete } from './friend-delete.ts';
import { snsPrevFriendAdd } from './prev-friend-add.ts';
import { snsPrevFriendResponse } from './prev-friend-response.ts';

/** The six relationship-chain callbacks, in the order of docs/protocol.md#sns (269/1523, 资料关系链). */
export const snsCommands: readonly CommandDefinition[] = [
  snsPrevFriendAdd,
  snsPrevFriendResponse,
  snsFriendAdd,
  snsFriendDelete,
  snsBlackListAdd,
  snsBlackListDelete,
];
