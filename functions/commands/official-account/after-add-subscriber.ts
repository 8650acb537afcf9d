import { optionalAccount } from '../fields.ts';
import { officialAccount, officialAccountPages, subscribeAccountList, subscriberSubjects } from './family.ts';

export const officialAccountAfterAddSubscriber = officialAccount.after('OfficialAccount.CallbackAfterAddSubscriber', {
  summary: 'Users subscribed to an official account',
  sources: officialAccountPages(60800),
  fields: { Operator_Account: optionalAccount, SubscribeAccountList: subscribeAccountList },
  subjects: subscriberSubjects,
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterAddSubscriber',
    Official_Account: '@TOA#_test_for_penn',
    Operator_Account: '107867',
    SubscribeAccountList: [{ Subscriber_Account: 'jared' }],
    EventTime: 1670574414123,
  },
});
