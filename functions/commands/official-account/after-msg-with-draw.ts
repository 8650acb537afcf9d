import * as v from 'valibot';
import { optionalString } from '../fields.ts';
import { officialAccount, officialAccountPages } from './family.ts';

/** The page's sample id starts `#TOA#`, where every other sample says `@TOA#`; kept as printed. */
export const officialAccountAfterMsgWithDraw = officialAccount.after('OfficialAccount.CallbackAfterMsgWithDraw', {
  summary: 'Official-account messages were recalled',
  sources: officialAccountPages(60805),
  fields: { WithdrawMsgList: v.optional(v.array(v.looseObject({ MsgKey: optionalString }))) },
  recordFields: { msgKey: 'WithdrawMsgList[].MsgKey' },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterMsgWithDraw',
    Official_Account: '#TOA#_123',
    WithdrawMsgList: [{ MsgKey: '71_1_1698741698' }],
    EventTime: 1670574414123,
  },
});
