import * as v from 'valibot';
import { readPath } from '../field-path.ts';
import { memberList, optionalAccount, optionalString, userDefinedDataList } from '../fields.ts';
import { defined, memberRole, text } from '../projection.ts';
import { en, group, zh } from './family.ts';

/** EN sends `EventTime` as a string, ZH as a number; only the ZH copy of the intl site shows Introduction and Notification. Seed 001. */
export const groupAfterCreateGroup = group.after('Group.CallbackAfterCreateGroup', {
  summary: 'A group was created',
  sources: [en(34369), zh(1663)],
  fields: {
    Owner_Account: optionalAccount,
    Name: optionalString,
    Introduction: optionalString,
    Notification: optionalString,
    FaceUrl: optionalString,
    MemberList: v.optional(memberList),
    UserDefinedDataList: v.optional(userDefinedDataList),
  },
  subjects: { accounts: { owner: 'Owner_Account', member: 'MemberList[].Member_Account' } },
  // The listed members join as members (or with the `Role` a list may carry); the owner last, so an
  // owner also listed is the owner.
  projection: (body) => {
    const owner = text(body, 'Owner_Account');
    return [
      {
        on: 'group',
        set: defined({
          type: text(body, 'Type'),
          name: text(body, 'Name'),
          introduction: text(body, 'Introduction'),
          notification: text(body, 'Notification'),
          faceUrl: text(body, 'FaceUrl'),
          owner,
          destroyed: false,
        }),
      },
      ...readPath(body, 'MemberList[]').flatMap((member) => {
        const account = text(member, 'Member_Account');
        return account === undefined
          ? []
          : [{ on: 'member' as const, account, set: { role: memberRole(text(member, 'Role')), nameCard: text(member, 'NameCard') ?? null } }];
      }),
      ...(owner === undefined ? [] : [{ on: 'member' as const, account: owner, set: { role: 'Owner' } }]),
    ];
  },
  example: {
    CallbackCommand: 'Group.CallbackAfterCreateGroup',
    GroupId: '@TGS#2J4SZEAEL',
    Operator_Account: 'group_root',
    Owner_Account: 'leckie',
    Type: 'Public',
    Name: 'MyFirstGroup',
    Introduction: 'introduction',
    Notification: 'notification',
    MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }],
    UserDefinedDataList: [{ Key: 'UserDefined1', Value: 'hello' }],
    EventTime: '1670574414123',
  },
});
