import * as v from 'valibot';
import { optionalAccountOrNumber, optionalBoolean, optionalInteger } from '../fields.ts';
import { mic, trtc } from './family.ts';

/**
 * Seats changed: each by its `Index`, with the account on it (absent for an empty seat; a bare number
 * above 2^53 in both samples, here its digits: docs/protocol.md#big-integers) and whether taking it,
 * video and audio are disabled. Both samples miss the comma before `EventTime`.
 */
export const micAfterSeatInfoChanged = mic.after('Mic.CallbackAfterSeatInfoChanged', {
  summary: "A room's seats (mics) changed: who sits where, what is disabled",
  sources: [trtc(64425), trtc(60736)],
  fields: {
    SeatList: v.optional(
      v.array(
        v.looseObject({
          Index: optionalInteger,
          Member_Account: optionalAccountOrNumber,
          IsTakenDisabled: optionalBoolean,
          IsVideoDisabled: optionalBoolean,
          IsAudioDisabled: optionalBoolean,
        }),
      ),
    ),
  },
  subjects: { accounts: { seated: 'SeatList[].Member_Account' } },
  example: {
    CallbackCommand: 'Mic.CallbackAfterSeatInfoChanged',
    Operator_Account: 'user1',
    RoomId: 'rid-123',
    SeatList: [{ Index: 1, Member_Account: '144115233775727695', IsTakenDisabled: false, IsVideoDisabled: false, IsAudioDisabled: false }],
    EventTime: 1670574414123,
  },
});
