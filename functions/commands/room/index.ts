import type { CommandDefinition } from '../definition.ts';
import { roomAfterCreateRoom } from './after-create-room.ts';
import { roomAfterDestroyRoom } from './after-destroy-room.ts';
import { roomAfterMemberEnter } from './after-member-enter.ts';
import { roomAfterMemberLeave } from './after-member-leave.ts';
import { roomAfterUpdateRoomInfo, roomUpdateRoomInfo } from './update-room-info.ts';

/**
 * TUIRoomKit's `Room.*` callbacks, in its command list's order (trtc.io/document/60720), the update's
 * older name beside it; its seats are `Mic.*` (functions/commands/mic/).
 */
export const roomCommands: readonly CommandDefinition[] = [
  roomAfterCreateRoom,
  roomAfterDestroyRoom,
  roomAfterUpdateRoomInfo,
  roomUpdateRoomInfo,
  roomAfterMemberEnter,
  roomAfterMemberLeave,
];
