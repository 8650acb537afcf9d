import * as v from 'valibot';
import { memberList, optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { en, group, zh } from './family.ts';

/** `CreateGroupNum` is in EN and older ZH copies, missing from the ZH 2025-12-04 sample. */
export const groupBeforeCreateGroup = group.before('Group.CallbackBeforeCreateGroup', {
  summary: 'A user asks to create a group (the policy decides)',
  sources: [en(34368), zh(1662)],
  fields: { Owner_Account: optionalAccount, Name: optionalString, CreateGroupNum: optionalInteger, MemberList: v.optional(memberList) },
  subjects: { accounts: { owner: 'Owner_Account', member: 'MemberList[].Member_Account' } },
  example: {
    CallbackCommand: 'Group.CallbackBeforeCreateGroup',
    Operator_Account: 'leckie',
    Owner_Account: 'leckie',
    Type: 'Public',
    Name: 'MyFirstGroup',
    CreateGroupNum: 123,
    MemberList: [{ Member_Account: 'bob' }],
    EventTime: 1670574414123,
  },
});
