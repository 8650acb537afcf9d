import * as v from 'valibot';
import { optionalInteger, optionalString } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { live, roomInfoFields, trtc } from './family.ts';

/**
 * `EventType` `DestroyByUser`, or `DestroyBySystem` when the room was empty. `RoomInfo` is the room
 * as it ended, its owner a bare number in the sample (here its digits as a string: a bare number that
 * large is read so, docs/protocol.md#big-integers); `Statistic` sums up the show.
 */
export const liveAfterDestroyRoom = live.after('Live.CallbackAfterDestroyRoom', {
  summary: 'A live room was dissolved (by a user, or by the system once empty)',
  sources: [trtc(64423)],
  fields: {
    EventType: optionalString,
    RoomInfo: v.optional(v.looseObject(roomInfoFields)),
    Statistic: v.optional(
      v.looseObject({
        TotalViewers: optionalInteger,
        TotalGiftsSent: optionalInteger,
        TotalGiftCoins: optionalInteger,
        TotalUniqueGiftSenders: optionalInteger,
        TotalLikesReceived: optionalInteger,
      }),
    ),
  },
  subjects: { accounts: { owner: 'RoomInfo.Owner_Account' } },
  projection: (body) => [{ on: 'group', set: defined({ type: text(body, 'RoomInfo.RoomType'), destroyed: true }) }],
  recordFields: { eventType: 'EventType' },
  example: {
    CallbackCommand: 'Live.CallbackAfterDestroyRoom',
    Operator_Account: 'admin',
    RoomId: 'tandy-test-rest',
    EventType: 'DestroyByUser',
    EventTime: 1703589922780,
    RoomInfo: {
      RoomName: 'live name',
      RoomType: 'Live',
      Owner_Account: '144115216631667826',
      IsSeatEnabled: true,
      TakeSeatMode: 'FreeToTake',
      MaxMemberCount: 400,
      MaxSeatCount: 4,
      Category: [1, 2, 3],
      CustomInfo: '',
      IsMessageDisabled: false,
      CoverURL: 'cover url',
      ActivityStatus: 0,
      IsPublicVisible: false,
      ViewCount: 0,
      BackgroundURL: 'background url',
      IsUnlimitedRoomEnabled: true,
    },
    Statistic: { TotalViewers: 0, TotalGiftsSent: 0, TotalGiftCoins: 0, TotalUniqueGiftSenders: 0, TotalLikesReceived: 0 },
  },
});
