import { codes, optionalAccount } from '../fields.ts';
import { officialAccount, officialAccountPages, subscribeAccountList, subscriberSubjects } from './family.ts';

/**
 * `ErrorCode` 0 goes on, refusing the subscribers listed in `RefusedSubscribers_Account` (optional);
 * 1 rejects the whole request. The page documents no custom range here, so only 1 refuses.
 */
export const officialAccountBeforeAddSubscriber = officialAccount.before('OfficialAccount.CallbackBeforeAddSubscriber', {
  summary: 'Users ask to subscribe to an official account (the policy may refuse all or some)',
  sources: officialAccountPages(60799),
  fields: { Operator_Account: optionalAccount, SubscribeAccountList: subscribeAccountList },
  subjects: subscriberSubjects,
  answers: { refusalCodes: codes([1, 1]), refuseMembers: { accounts: 'SubscribeAccountList[].Subscriber_Account', answerField: 'RefusedSubscribers_Account' } },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackBeforeAddSubscriber',
    Official_Account: '@TOA#_test_for_penn',
    Operator_Account: '107867',
    SubscribeAccountList: [{ Subscriber_Account: 'jared' }, { Subscriber_Account: 'leckie' }],
    EventTime: 1670574414123,
  },
});
