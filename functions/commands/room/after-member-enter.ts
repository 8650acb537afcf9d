import { room, trtc } from './family.ts';
import { memberChangeFields } from './member-fields.ts';

/** `Type` `Enter`: they joined by themselves. */
export const roomAfterMemberEnter = room.after('Room.CallbackAfterMemberEnter', {
  summary: 'Members entered a conference room',
  sources: [trtc(60735)],
  fields: memberChangeFields,
  subjects: { accounts: { joined: 'MemberList_Account[]' } },
  recordFields: { type: 'Type', members: 'MemberCount' },
  example: {
    CallbackCommand: 'Room.CallbackAfterMemberEnter',
    Operator_Account: 'user1',
    RoomId: 'rid-123',
    MemberCount: 20,
    Type: 'Enter',
    MemberList_Account: ['user1'],
    EventTime: 1670574414123,
  },
});
