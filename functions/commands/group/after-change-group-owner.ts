import { optionalAccount } from '../fields.ts';
import { text } from '../projection.ts';
import { en, group } from './family.ts';

export const groupAfterChangeGroupOwner = group.after('Group.CallbackAfterChangeGroupOwner', {
  summary: "A group's ownership was transferred",
  sources: [en(60396)],
  fields: { OldOwner_Account: optionalAccount, NewOwner_Account: optionalAccount },
  subjects: { accounts: { oldOwner: 'OldOwner_Account', newOwner: 'NewOwner_Account' } },
  // The old owner stays in the group as a member.
  projection: (body) => {
    const [oldOwner, newOwner] = [text(body, 'OldOwner_Account'), text(body, 'NewOwner_Account')];
    return [
      ...(oldOwner === undefined ? [] : [{ on: 'member' as const, account: oldOwner, set: { role: 'Member' } }]),
      ...(newOwner === undefined
        ? []
        : [
            { on: 'group' as const, set: { owner: newOwner } },
            { on: 'member' as const, account: newOwner, set: { role: 'Owner' } },
          ]),
    ];
  },
  example: {
    CallbackCommand: 'Group.CallbackAfterChangeGroupOwner',
    GroupId: '@TGS#2TTV7VSII',
    Type: 'Public',
    Operator_Account: 'admin',
    OldOwner_Account: 'user1',
    NewOwner_Account: 'user2',
    EventTime: '1670574414123',
  },
});
