import * as v from 'valibot';
import { optionalAccount, optionalString } from '../fields.ts';
import { en, sns, snsRequestAccounts, snsRequestFields } from './family.ts';

/**
 * `From_Account` is the user responding; `ResponseAction` is `Response_Action_AgreeAndAdd`,
 * `Response_Action_Agree` or `Response_Action_Reject`. The friend's group is `TagName` here, where
 * PrevFriendAdd says `GroupName`.
 */
export const snsPrevFriendResponse = sns.before('Sns.CallbackPrevFriendResponse', {
  summary: 'A user answers friend requests (the policy may refuse some or all)',
  sources: [en(43467)],
  fields: {
    ...snsRequestFields,
    ResponseFriendItem: v.optional(
      v.array(v.looseObject({ To_Account: optionalAccount, Remark: optionalString, TagName: optionalString, ResponseAction: optionalString })),
    ),
  },
  subjects: { accounts: { ...snsRequestAccounts, friend: 'ResponseFriendItem[].To_Account' }, actor: 'account' },
  answers: { perItem: { list: 'ResponseFriendItem', account: 'To_Account', answerField: 'ResultItem' } },
  example: {
    CallbackCommand: 'Sns.CallbackPrevFriendResponse',
    Requester_Account: 'id',
    From_Account: 'id',
    ResponseFriendItem: [{ To_Account: 'id1', Remark: 'remark1', TagName: 'group1', ResponseAction: 'Response_Action_AgreeAndAdd' }],
    EventTime: 1631777645424,
  },
});
