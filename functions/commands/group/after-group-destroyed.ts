import * as v from 'valibot';
import { memberList, optionalAccount, optionalString } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { en, group } from './family.ts';

/** `MemberList` is not sent for Community groups. */
export const groupAfterGroupDestroyed = group.after('Group.CallbackAfterGroupDestroyed', {
  summary: 'A group was dissolved',
  sources: [en(34377)],
  fields: { Owner_Account: optionalAccount, Name: optionalString, MemberList: v.optional(memberList) },
  // The pages name no operator: the owner dissolved it.
  subjects: { accounts: { owner: 'Owner_Account', member: 'MemberList[].Member_Account' }, actor: 'owner' },
  // Members are kept as they were: the view says what the group was when it ended.
  projection: (body) => [{ on: 'group', set: defined({ type: text(body, 'Type'), destroyed: true }) }],
  example: {
    CallbackCommand: 'Group.CallbackAfterGroupDestroyed',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Owner_Account: 'leckie',
    Name: 'MyFirstGroup',
    MemberList: [{ Member_Account: 'leckie' }],
    EventTime: '1670574414123',
  },
});
