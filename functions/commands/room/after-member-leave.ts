import { optionalString } from '../fields.ts';
import { room, trtc } from './family.ts';
import { memberChangeFields } from './member-fields.ts';

/** `Type` `Leave`, `Kicked` or `Expired` (the heartbeat stopped); `Reason` in words. */
export const roomAfterMemberLeave = room.after('Room.CallbackAfterMemberLeave', {
  summary: 'Members left a conference room (left, kicked, or timed out)',
  sources: [trtc(60734)],
  fields: { ...memberChangeFields, Reason: optionalString },
  subjects: { accounts: { left: 'MemberList_Account[]' } },
  recordFields: { type: 'Type', members: 'MemberCount', reason: 'Reason' },
  example: {
    CallbackCommand: 'Room.CallbackAfterMemberLeave',
    Operator_Account: 'user1',
    RoomId: 'rid-123',
    MemberCount: 20,
    Type: 'Leave',
    MemberList_Account: ['user1'],
    Reason: 'xxxx',
    EventTime: 1670574414123,
  },
});
