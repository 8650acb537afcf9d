import type { CommandDefinition } from '../definition.ts';
import { liveAfterChangeOwner } from './after-change-owner.ts';
import { liveAfterCloudRecordingChanged } from './after-cloud-recording-changed.ts';
import { liveAfterCreateBattle } from './after-create-battle.ts';
import { liveAfterCreateRoom } from './after-create-room.ts';
import { liveAfterCreateRoomReachingThreshold } from './after-create-room-reaching-threshold.ts';
import { liveAfterDelMetadata } from './after-del-metadata.ts';
import { liveAfterDestroyRoom } from './after-destroy-room.ts';
import { liveAfterEndBattle } from './after-end-battle.ts';
import { liveAfterMemberStateChanged } from './after-member-state-changed.ts';
import { liveAfterModifyAdmin } from './after-modify-admin.ts';
import { liveAfterSetMetadata } from './after-set-metadata.ts';
import { liveAfterStartBattle } from './after-start-battle.ts';
import { liveAfterUpdateRoomInfo } from './after-update-room-info.ts';
import { liveBeforeSendGift } from './before-send-gift.ts';

/**
 * TUILiveKit's `Live.*` callbacks, in the order of its command list (trtc.io/document/64413,
 * 269/117536), the recording one (ZH list only) last. Its seats are `Mic.*` (functions/commands/mic/).
 */
export const liveCommands: readonly CommandDefinition[] = [
  liveAfterCreateRoom,
  liveAfterDestroyRoom,
  liveAfterUpdateRoomInfo,
  liveAfterSetMetadata,
  liveAfterDelMetadata,
  liveAfterCreateRoomReachingThreshold,
  liveAfterMemberStateChanged,
  liveAfterChangeOwner,
  liveAfterModifyAdmin,
  liveAfterCreateBattle,
  liveAfterStartBattle,
  liveAfterEndBattle,
  liveBeforeSendGift,
  liveAfterCloudRecordingChanged,
];
