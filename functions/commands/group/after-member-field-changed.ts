import { optionalAccount, optionalString } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { en, group, zh } from './family.ts';

/**
 * `Role` is `Admin` or `Member`. The changed member is `Member_Account` on 1047/60393 and
 * `Modified_Account` on 269/105353 (docs/protocol.md#group-versions): either is read, as one role.
 */
export const groupAfterMemberFieldChanged = group.after('Group.CallbackAfterMemberFieldChanged', {
  summary: "A member's role or name card changed",
  sources: [en(60393), zh(105353)],
  fields: { Modified_Account: optionalAccount, Member_Account: optionalAccount, Role: optionalString, NameCard: optionalString },
  subjects: { accounts: { member: ['Modified_Account', 'Member_Account'] } },
  // Only what changed is sent; a change to someone is also proof they are a member.
  projection: (body) => {
    const account = text(body, 'Modified_Account') ?? text(body, 'Member_Account');
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
