import * as v from 'valibot';
import { memberList, optionalString } from '../fields.ts';
import { texts } from '../projection.ts';
import { en, group } from './family.ts';

export const groupAfterMemberExit = group.after('Group.CallbackAfterMemberExit', {
  summary: 'Members left a group (quit or kicked)',
  sources: [en(34373)],
  fields: { ExitType: optionalString, ExitMemberList: v.optional(memberList) },
  // Whether they quit or were kicked is `ExitType`'s to say.
  subjects: { accounts: { left: 'ExitMemberList[].Member_Account' } },
  projection: (body) => texts(body, 'ExitMemberList[].Member_Account').map((account) => ({ on: 'member', account, removed: true })),
  example: {
    CallbackCommand: 'Group.CallbackAfterMemberExit',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    ExitType: 'Kicked',
    Operator_Account: 'leckie',
    ExitMemberList: [{ Member_Account: 'jared' }],
    EventTime: '1670574414123',
  },
});
