import * as v from 'valibot';
import { accountOrNumber, optionalString } from '../fields.ts';
import { accountTexts, text } from '../projection.ts';
import { live, trtc } from './family.ts';

/** Accounts made admins of the room (`opType` `add`, lower-case o) or no longer (`delete`). */
export const liveAfterModifyAdmin = live.after('Live.CallbackAfterModifyAdmin', {
  summary: "A live room's admins were added or removed",
  sources: [trtc(72554)],
  fields: { Admin_Account: v.optional(v.array(accountOrNumber)), opType: optionalString },
  subjects: { accounts: { admin: 'Admin_Account[]' } },
  // Admins are kept apart from the room's members, its online audience: one stays an admin offline.
  projection: (body) => {
    const change = { add: {}, delete: { removed: true } as const }[text(body, 'opType') ?? ''];
    return change === undefined ? [] : accountTexts(body, 'Admin_Account[]').map((account) => ({ on: 'admin', account, ...change }));
  },
  recordFields: { opType: 'opType' },
  example: {
    CallbackCommand: 'Live.CallbackAfterModifyAdmin',
    RoomId: 'room_id',
    EventTime: 1703589922780,
    Operator_Account: 'admin',
    Admin_Account: ['user1', 'user2'],
    opType: 'add',
  },
});
