import * as v from 'valibot';
import { defined, text } from '../projection.ts';
import { live, roomInfoFields, rtcZh, trtc, zh } from './family.ts';

/** What changed of the room's settings, in `RoomInfo` with its id. The ZH sample misses the comma before `EventTime`. */
export const liveAfterUpdateRoomInfo = live.after('Live.CallbackAfterUpdateRoomInfo', {
  summary: "A live room's settings changed",
  sources: [trtc(67938), zh(117545), rtcZh(115659)],
  fields: { RoomInfo: v.optional(v.looseObject(roomInfoFields)) },
  subjects: { groupId: 'RoomInfo.RoomId' },
  // Only what changed is sent; of it, the view keeps the name.
  projection: (body) => [{ on: 'group', set: defined({ name: text(body, 'RoomInfo.RoomName') }) }],
  example: {
    CallbackCommand: 'Live.CallbackAfterUpdateRoomInfo',
    Operator_Account: 'bob',
    RoomInfo: {
      RoomId: 'live-room',
      RoomName: 'rname-123',
      MaxMemberCount: 300,
      IsMessageDisabled: false,
      CoverURL: 'https://xxxx.png',
      Category: [1, 2, 3],
      ActivityStatus: 1,
      IsPublicVisible: false,
      TakeSeatMode: 'ApplyToTake',
      CustomInfo: 'custom123',
    },
    EventTime: 1670574414123,
  },
});
