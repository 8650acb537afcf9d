import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccountOrNumber, optionalBoolean, optionalFlag, optionalInteger, optionalString } from '../fields.ts';

export { rtcEn, rtcZh, trtc, zh } from '../pages.ts';

/**
 * `Room.*`: TUIRoomKit's conference rooms (docs/protocol.md#room), sent to the URL set with
 * `v4/room_config/set_callback`, in Chat's envelope and with Chat's answer; every one an
 * after-callback. The room is the place, the `operator` acted. Not the older product 1690's
 * callbacks, whose URL says `command=` (docs/protocol.md#older-products).
 */
export const room = defineFamily({
  family: 'Room',
  products: ['room'],
  fields: { CallbackCommand: optionalString, RoomId: optionalString, Operator_Account: optionalAccountOrNumber, EventTime: v.optional(eventTime) },
  subjects: { groupId: 'RoomId', accounts: { operator: 'Operator_Account' }, actor: 'operator' },
});

/** A conference's settings as `RoomInfo` carries them. Times in seconds. */
export const conferenceInfoFields = {
  RoomId: optionalString,
  RoomName: optionalString,
  RoomType: optionalString,
  Owner_Account: optionalAccountOrNumber,
  MaxMemberCount: optionalInteger,
  MaxSeatCount: optionalInteger,
  IsVideoDisabled: optionalBoolean,
  IsAudioDisabled: optionalBoolean,
  IsMessageDisabled: optionalBoolean,
  IsScreenSharingDisabled: optionalBoolean,
  // A string ("false") in the update's sample, a Bool in the table.
  IsCloudRecordingDisabled: optionalFlag,
  CustomInfo: optionalString,
  ScheduleStartTime: optionalInteger,
  ScheduleEndTime: optionalInteger,
  RoomStatus: optionalString,
  IsSeatEnabled: optionalBoolean,
  TakeSeatMode: optionalString,
  CreateTime: optionalInteger,
};
