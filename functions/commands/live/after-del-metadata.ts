import * as v from 'valibot';
import { live, trtc } from './family.ts';

/** Room metadata keys removed. The page's table names the command `Live.CallbackAfterSetMetadata`, a copy-paste bug; its sample is right. */
export const liveAfterDelMetadata = live.after('Live.CallbackAfterDelMetadata', {
  summary: "A live room's metadata keys were deleted",
  sources: [trtc(68223)],
  fields: { Keys: v.optional(v.array(v.string())) },
  example: {
    CallbackCommand: 'Live.CallbackAfterDelMetadata',
    Operator_Account: 'brennanli',
    RoomId: 'live-room1111',
    Keys: ['key1', 'key2'],
    EventTime: 1739966441121,
  },
});
