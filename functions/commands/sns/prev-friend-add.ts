import * as v from 'valibot';
import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { sns, snsRequestAccounts, snsRequestFields } from './family.ts';

/**
 * `AddType` is `Add_Type_Single` or `Add_Type_Both` (the default); `ForceAddFlags` 1 is an admin's
 * forced add. The friend's group is `GroupName` here but `TagName` in PrevFriendResponse.
 */
export const snsPrevFriendAdd = sns.before('Sns.CallbackPrevFriendAdd', {
  summary: 'A user asks to add friends (the policy may refuse some or all)',
  sources: ['intl.cloud.tencent.com/document/product/1047/43468'],
  fields: {
    ...snsRequestFields,
    FriendItem: v.optional(
      v.array(
        v.looseObject({
          To_Account: optionalAccount,
          Remark: optionalString,
          GroupName: optionalString,
          AddSource: optionalString,
          AddWording: optionalString,
        }),
      ),
    ),
    AddType: optionalString,
    ForceAddFlags: optionalInteger,
  },
  subjects: { accounts: { ...snsRequestAccounts, friend: 'FriendItem[].To_Account' }, actor: 'account' },
  answers: { perItem: { list: 'FriendItem', account: 'To_Account', answerField: 'ResultItem' } },
  example: {
    CallbackCommand: 'Sns.CallbackPrevFriendAdd',
    Requester_Account: 'id',
    From_Account: 'id',
    FriendItem: [{ To_Account: 'id1', Remark: 'remark1', GroupName: 'group1', AddSource: 'AddSource_Type_Android', AddWording: 'this is id1!' }],
    AddType: 'Add_Type_Both',
    ForceAddFlags: 0,
    EventTime: 1631777344870,
  },
});
