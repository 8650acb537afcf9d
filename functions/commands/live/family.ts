import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { codes, eventTime, integer, optionalAccountOrNumber, optionalBoolean, optionalInteger, optionalString } from '../fields.ts';

export { rtcEn, rtcZh, trtc, zh } from '../pages.ts';

/**
 * `Live.*`: TUILiveKit's live rooms (docs/protocol.md#live), sent to the URL set with
 * `v4/live_config/set_callback` or the console's TUILiveKit tab, in Chat's envelope and with Chat's
 * answer. The room (`RoomId`) is the group-like place, and a live room is busy: audiences come and
 * go at rates no other group sees. The `operator` acted. The one before-callback, the gift, refuses
 * with any non-zero code: 1, or 102100–102200 passed through to the client [trtc.io/document/72210].
 */
export const live = defineFamily({
  family: 'Live',
  products: ['live'],
  fields: {
    CallbackCommand: optionalString,
    RoomId: optionalString,
    Operator_Account: optionalAccountOrNumber,
    EventTime: v.optional(eventTime),
  },
  subjects: { groupId: 'RoomId', accounts: { operator: 'Operator_Account' }, actor: 'operator', busy: true },
  answers: { refusalCodes: codes([1, 1], [102100, 102200]) },
});

/**
 * A live room's settings as `RoomInfo` carries them (create, update, destroy: each sends some). The
 * tables type `RoomType` "Meeting" where the samples send `Live`.
 */
export const roomInfoFields = {
  RoomId: optionalString,
  RoomName: optionalString,
  RoomType: optionalString,
  Owner_Account: optionalAccountOrNumber,
  MaxMemberCount: optionalInteger,
  IsMessageDisabled: optionalBoolean,
  CustomInfo: optionalString,
  IsSeatEnabled: optionalBoolean,
  TakeSeatMode: optionalString,
  MaxSeatCount: optionalInteger,
  CreateTime: optionalInteger,
  IsPublicVisible: optionalBoolean,
  CoverURL: optionalString,
  BackgroundURL: optionalString,
  Category: v.optional(v.array(integer)),
  ActivityStatus: optionalInteger,
  ViewCount: optionalInteger,
  IsUnlimitedRoomEnabled: optionalBoolean,
};
