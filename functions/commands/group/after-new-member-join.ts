import * as v from 'valibot';
import { memberList, optionalString } from '../fields.ts';
import { texts } from '../projection.ts';
import { en, group, zh } from './family.ts';

export const groupAfterNewMemberJoin = group.after('Group.CallbackAfterNewMemberJoin', {
  summary: 'Users joined a group (applied or invited)',
  sources: [en(34372), zh(1667)],
  fields: { JoinType: optionalString, NewMemberList: v.optional(memberList) },
  // Whether they applied or were invited is `JoinType`'s to say.
  subjects: { accounts: { joined: 'NewMemberList[].Member_Account' } },
  // A (re-)joined member starts as a plain member without a name card.
  projection: (body) => texts(body, 'NewMemberList[].Member_Account').map((account) => ({ on: 'member', account, set: { role: 'Member', nameCard: null } })),
  example: {
    CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    JoinType: 'Apply',
    Operator_Account: 'leckie',
    NewMemberList: [{ Member_Account: 'jared' }, { Member_Account: 'tommy' }],
    EventTime: 1670574414123,
  },
});
