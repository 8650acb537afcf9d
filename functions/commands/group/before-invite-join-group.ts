import * as v from 'valibot';
import { memberList } from '../fields.ts';
import { en, group } from './family.ts';

/** `RefusedMembers_Account` in an `ErrorCode` 0 answer refuses those invitees; the rest are added. */
export const groupBeforeInviteJoinGroup = group.before('Group.CallbackBeforeInviteJoinGroup', {
  summary: 'A member invites users into a group (the policy may refuse all or some)',
  sources: [en(34371)],
  fields: { DestinationMembers: v.optional(memberList) },
  subjects: { accounts: { invited: 'DestinationMembers[].Member_Account' } },
  answers: { refuseMembers: { accounts: 'DestinationMembers[].Member_Account', answerField: 'RefusedMembers_Account' } },
  example: {
    CallbackCommand: 'Group.CallbackBeforeInviteJoinGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    DestinationMembers: [{ Member_Account: 'jared' }, { Member_Account: 'tommy' }],
    EventTime: 1670574414123,
  },
});
