import { accountFields, accountSubjects, officialAccount, officialAccountPages } from './family.ts';

/** The account has no id yet: its future owner is the place. */
export const officialAccountBeforeCreateOfficialAccount = officialAccount.before('OfficialAccount.CallbackBeforeCreateOfficialAccount', {
  summary: 'A user asks to create an official account (the policy decides)',
  sources: officialAccountPages(60795),
  fields: accountFields,
  subjects: { ...accountSubjects, place: 'owner' },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackBeforeCreateOfficialAccount',
    Operator_Account: '107867',
    Owner_Account: '107867',
    Name: 'TestOfficialAccount',
    EventTime: 1670574414123,
  },
});
