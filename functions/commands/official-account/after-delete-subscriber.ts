import { optionalAccount } from '../fields.ts';
import { officialAccount, officialAccountPages, subscribeAccountList, subscriberSubjects } from './family.ts';

export const officialAccountAfterDeleteSubscriber = officialAccount.after('OfficialAccount.CallbackAfterDeleteSubscriber', {
  summary: 'Users unsubscribed from an official account',
  sources: officialAccountPages(60802),
  fields: { Operator_Account: optionalAccount, SubscribeAccountList: subscribeAccountList },
  subjects: subscriberSubjects,
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterDeleteSubscriber',
    Official_Account: '@TOA#_test_OA_for_penn',
    Operator_Account: 'leckie',
    SubscribeAccountList: [{ Subscriber_Account: 'jared' }],
    EventTime: 1670574414123,
  },
});
