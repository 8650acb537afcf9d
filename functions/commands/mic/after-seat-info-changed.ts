import * as v from 'valibot';
import { readPath } from '../field-path.ts';
import { optionalAccountOrNumber, optionalBoolean, optionalInteger } from '../fields.ts';
import { accountText, defined, type StateChange } from '../projection.ts';
import { mic, trtc } from './family.ts';

/** A seat's index as the view keys it: a whole number, or its digits as text (docs/protocol.md#field-types). */
const indexOf = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? String(value)
    : typeof value === 'string' && /^\d{1,9}$/.test(value)
      ? String(Number(value))
      : undefined;

const flag = (seat: unknown, name: string): boolean | undefined => {
  const [value] = readPath(seat, name);
  return typeof value === 'boolean' ? value : undefined;
};

/** Each seat listed, by its index: who sits on it (`null`: no one, the field absent) and what is disabled. */
function seats(body: Readonly<Record<string, unknown>>): StateChange[] {
  return readPath(body, 'SeatList[]').flatMap((seat) => {
    const index = indexOf(readPath(seat, 'Index')[0]);
    if (index === undefined) return [];
    const set = defined({
      account: accountText(seat, 'Member_Account') ?? null,
      takenDisabled: flag(seat, 'IsTakenDisabled'),
      videoDisabled: flag(seat, 'IsVideoDisabled'),
      audioDisabled: flag(seat, 'IsAudioDisabled'),
    });
    return [{ on: 'seat' as const, index, set }];
  });
}

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
  projection: seats,
  example: {
    CallbackCommand: 'Mic.CallbackAfterSeatInfoChanged',
    Operator_Account: 'user1',
    RoomId: 'rid-123',
    SeatList: [{ Index: 1, Member_Account: '144115233775727695', IsTakenDisabled: false, IsVideoDisabled: false, IsAudioDisabled: false }],
    EventTime: 1670574414123,
  },
});
