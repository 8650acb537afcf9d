import { optionalAccount, optionalString } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { en, group, zh } from './family.ts';

/** `Role` is `Admin` or `Member`. */
export const groupAfterMemberFieldChanged = group.after('Group.CallbackAfterMemberFieldChanged', {
  summary: "A member's role or name card changed",
  sources: [en(60393), zh(105353)],
  fields: { Modified_Account: optionalAccount, Role: optionalString, NameCard: optionalString },
  subjects: { user: 'Modified_Account' },
  recordFields: { modified: 'Modified_Account' },
  // Only what changed is sent; a change to someone is also proof they are a member.
  projection: (body) => {
    const account = text(body, 'Modified_Account');
    return account === undefined ? [] : [{ on: 'member', account, set: defined({ role: text(body, 'Role'), nameCard: text(body, 'NameCard') }) }];
  },
  example: {
    CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
    GroupId: '@TGS#xxxx',
    Type: 'Community',
    Operator_Account: 'admin',
    Modified_Account: '123456',
    Role: 'Admin',
    NameCard: 'jacky',
    EventTime: '1670574414123',
  },
});
