import { accountFields, accountSubjects, officialAccount, officialAccountPages } from './family.ts';

export const officialAccountAfterCreateOfficialAccount = officialAccount.after('OfficialAccount.CallbackAfterCreateOfficialAccount', {
  summary: 'An official account was created',
  sources: officialAccountPages(60796),
  fields: accountFields,
  subjects: accountSubjects,
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterCreateOfficialAccount',
    Official_Account: '@TOA#_test_OA_for_penn',
    Operator_Account: '107867',
    Owner_Account: '107867',
    Name: 'TestOfficialAccount',
    EventTime: 1670574414123,
  },
});
