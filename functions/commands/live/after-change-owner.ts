import { optionalAccountOrNumber } from '../fields.ts';
import { accountText } from '../projection.ts';
import { live, trtc, zh } from './family.ts';

/** The room's owner (its anchor) changed. */
export const liveAfterChangeOwner = live.after('Live.CallbackAfterChangeOwner', {
  summary: "A live room's owner changed",
  sources: [trtc(72553), zh(125794)],
  fields: { CurrentOwner_Account: optionalAccountOrNumber, OriginalOwner_Account: optionalAccountOrNumber },
  subjects: { accounts: { newOwner: 'CurrentOwner_Account', oldOwner: 'OriginalOwner_Account' } },
  projection: (body) => {
    const owner = accountText(body, 'CurrentOwner_Account');
    return owner === undefined ? [] : [{ on: 'group', set: { owner } }];
  },
  example: {
    CallbackCommand: 'Live.CallbackAfterChangeOwner',
    RoomId: 'room_id',
    EventTime: 1703589922780,
    Operator_Account: 'admin',
    CurrentOwner_Account: 'user2',
    OriginalOwner_Account: 'user1',
  },
});
