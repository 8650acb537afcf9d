import { officialAccount, officialAccountPages } from './family.ts';

/** The page's sample is cut off after `Official_Account`; the field list comes from doocs. */
export const officialAccountAfterOfficialAccountFull = officialAccount.after('OfficialAccount.CallbackAfterOfficialAccountFull', {
  summary: 'An official account reached its subscriber limit',
  sources: officialAccountPages(60801),
  fields: {},
  example: { CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountFull', Official_Account: '@TOA#_test_for_penn', EventTime: 1670574414123 },
});
