import { optionalInteger } from '../fields.ts';
import { en, group } from './family.ts';

/** Fires when the groups created today, net, pass 70% of the app's limit. No group, no user. */
export const groupOnDailyGroupQuotaAlarm = group.after('Group.CallbackOnDailyGroupQuotaAlarm', {
  summary: 'Groups created today passed 70% of the daily limit',
  sources: [en(57455)],
  fields: { QuotaUsed: optionalInteger, Quota: optionalInteger },
  example: { CallbackCommand: 'Group.CallbackOnDailyGroupQuotaAlarm', QuotaUsed: 7321, Quota: 10000, EventTime: '1670574414123' },
});
