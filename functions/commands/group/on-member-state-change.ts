import * as v from 'valibot';
import { memberList, optionalString } from '../fields.ts';
import { en, group } from './family.ts';

/**
 * AVChatRoom only (Ultimate edition and a console switch): always a busy group. No `EventTime`, no
 * ClientIP in the URL. The members whose state changed are who it is by.
 */
export const groupOnMemberStateChange = group.after('Group.CallbackOnMemberStateChange', {
  summary: 'Live-room members went online or offline',
  sources: [en(48734)],
  fields: { EventType: optionalString, MemberList: v.optional(memberList) },
  subjects: { accounts: { member: 'MemberList[].Member_Account' }, actor: 'member', busy: true },
  example: { CallbackCommand: 'Group.CallbackOnMemberStateChange', GroupId: '@TGS#2J4SZEAEL', EventType: 'Offline', MemberList: [{ Member_Account: 'jared' }] },
});
