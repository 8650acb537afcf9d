import * as v from 'valibot';
import { defaultTimeFields } from '../definition.ts';
import { eventTime } from '../fields.ts';
import { accountText, defined, text } from '../projection.ts';
import { live, roomInfoFields, rtcEn, rtcZh, trtc } from './family.ts';

/**
 * The room's settings are in `RoomInfo`, its id too. `EventTime` is in the table but not in the EN
 * sample, and one ZH copy puts it inside `RoomInfo`: without either, the room's `CreateTime` (seconds)
 * is when it happened.
 */
export const liveAfterCreateRoom = live.after('Live.CallbackAfterCreateRoom', {
  summary: 'A live room was created',
  sources: [trtc(64422), rtcEn(64422), rtcZh(110523)],
  fields: { RoomInfo: v.optional(v.looseObject({ ...roomInfoFields, EventTime: v.optional(eventTime) })) },
  subjects: { groupId: 'RoomInfo.RoomId', accounts: { owner: 'RoomInfo.Owner_Account' } },
  // The room's profile, as a group's (docs/synced-view.md#live-rooms).
  projection: (body) => [
    {
      on: 'group',
      set: defined({ type: text(body, 'RoomInfo.RoomType'), name: text(body, 'RoomInfo.RoomName'), owner: accountText(body, 'RoomInfo.Owner_Account') }),
    },
  ],
  timeFields: [...defaultTimeFields, { path: 'RoomInfo.EventTime', unit: 'ms' }, { path: 'RoomInfo.CreateTime', unit: 's' }],
  example: {
    CallbackCommand: 'Live.CallbackAfterCreateRoom',
    Operator_Account: 'admin',
    RoomInfo: {
      RoomId: 'tandy-test-rest',
      RoomName: 'tandy-test-rest',
      RoomType: 'Live',
      Owner_Account: 'user3',
      MaxMemberCount: 300,
      IsMessageDisabled: true,
      CustomInfo: 'custom123',
      IsSeatEnabled: true,
      TakeSeatMode: 'ApplyToTake',
      MaxSeatCount: 16,
      CreateTime: 1703589922,
      IsPublicVisible: true,
      CoverURL: 'cover url',
      Category: [1, 2],
    },
  },
});
