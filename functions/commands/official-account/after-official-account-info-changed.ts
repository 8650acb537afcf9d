import { optionalAccount, optionalString } from '../fields.ts';
import { officialAccount, officialAccountPages } from './family.ts';

/**
 * The values after the change. The page's sample lacks the commas after `FaceUrl` and
 * `Organization` (not valid JSON as printed); the example has them.
 */
export const officialAccountAfterOfficialAccountInfoChanged = officialAccount.after('OfficialAccount.CallbackAfterOfficialAccountInfoChanged', {
  summary: "An official account's profile was changed",
  sources: officialAccountPages(60797),
  fields: { Operator_Account: optionalAccount, Introduction: optionalString, Name: optionalString, FaceUrl: optionalString, Organization: optionalString },
  subjects: { accounts: { operator: 'Operator_Account' }, actor: 'operator' },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterOfficialAccountInfoChanged',
    Official_Account: '@TOA#_test_OA_for_penn',
    Operator_Account: 'leckie',
    Introduction: 'NewNotification',
    Name: 'NewName',
    FaceUrl: 'http://this.is.newface.url',
    Organization: 'NewOrganization',
    EventTime: 1670574414123,
  },
});
