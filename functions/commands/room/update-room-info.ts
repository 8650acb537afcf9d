import * as v from 'valibot';
import type { CommandSpec } from '../definition.ts';
import { conferenceInfoFields, room, trtc, zh } from './family.ts';

/**
 * What changed of a conference's settings, in `RoomInfo` with its id. The sample sends
 * `IsCloudRecordingDisabled` as the string `"false"`, ends `RoomInfo` with a trailing comma and
 * misses the comma before `EventTime`.
 */
const updateRoomInfo = (command: string, summary: string): CommandSpec => ({
  summary,
  sources: [trtc(60731), zh(105401)],
  fields: { RoomInfo: v.optional(v.looseObject(conferenceInfoFields)) },
  subjects: { groupId: 'RoomInfo.RoomId', accounts: { owner: 'RoomInfo.Owner_Account' } },
  example: {
    CallbackCommand: command,
    Operator_Account: 'bob',
    RoomInfo: {
      RoomId: 'rid-123',
      RoomName: 'rname-123',
      Owner_Account: 'jack',
      TakeSeatMode: 'FreeToTake',
      MaxMemberCount: 300,
      IsVideoDisabled: false,
      IsAudioDisabled: false,
      IsMessageDisabled: false,
      IsScreenSharingDisabled: false,
      IsCloudRecordingDisabled: 'false',
      CustomInfo: '123',
    },
    EventTime: 1670574414123,
  },
});

export const roomAfterUpdateRoomInfo = room.after(
  'Room.CallbackAfterUpdateRoomInfo',
  updateRoomInfo('Room.CallbackAfterUpdateRoomInfo', "A conference room's settings changed"),
);

/**
 * The same callback by the name an older command list gives it (269/105401, 2024-04-19; also in
 * get_callback's sample on trtc.io/document/60730): both names are documented, so both are known.
 */
export const roomUpdateRoomInfo = room.after(
  'Room.CallbackUpdateRoomInfo',
  updateRoomInfo('Room.CallbackUpdateRoomInfo', "A conference room's settings changed (the older name of Room.CallbackAfterUpdateRoomInfo)"),
);
