import { accountFields, officialAccount, officialAccountPages } from './family.ts';

/** The account has no id yet: the user subject is its future owner. */
export const officialAccountBeforeCreateOfficialAccount = officialAccount.before('OfficialAccount.CallbackBeforeCreateOfficialAccount', {
  summary: 'A user asks to create an official account (the policy decides)',
  sources: officialAccountPages(60795),
  fields: accountFields,
  subjects: { user: 'Owner_Account' },
  recordFields: { operator: 'Operator_Account', owner: 'Owner_Account' },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackBeforeCreateOfficialAccount',
    Operator_Account: '107867',
    Owner_Account: '107867',
    Name: 'TestOfficialAccount',
    EventTime: 1670574414123,
  },
});
