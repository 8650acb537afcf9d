import { optionalAccount, optionalString } from '../fields.ts';
import { officialAccount, officialAccountPages } from './family.ts';

export const officialAccountAfterOfficialAccountDestroyed = officialAccount.after('OfficialAccount.CallbackAfterOfficialAccountDestroyed', {
  summary: 'An official account was destroyed',
  sources: officialAccountPages(60798),
  fields: { Owner_Account: optionalAccount, Name: optionalString },
  // No operator is named: the owner destroyed it.
  subjects: { accounts: { owner: 'Owner_Account' }, actor: 'owner' },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountDestroyed',
    Official_Account: '@TOA#_test_OA_for_penn',
    Owner_Account: '107867',
    Name: 'TestOfficialAccount',
    EventTime: 1670574414123,
  },
});
