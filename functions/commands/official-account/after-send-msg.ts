import { optionalInteger, optionalString } from '../fields.ts';
import { officialAccount, officialAccountPages, zh } from './family.ts';
import { officialAccountMessageFields } from './message-fields.ts';

/** `MsgKey` recalls the message through the REST API; `MsgTime` is in seconds. */
export const officialAccountAfterSendMsg = officialAccount.after('OfficialAccount.CallbackAfterSendMsg', {
  // The message was this before-callback first, with the same body: a backtest replays it (docs/policy.md#backtest).
  replaysAs: 'OfficialAccount.CallbackBeforeSendMsg',
  summary: 'An official account broadcast a message',
  sources: [...officialAccountPages(60804), zh(102324)],
  fields: { ...officialAccountMessageFields, MsgKey: optionalString, MsgTime: optionalInteger },
  recordFields: { msgKey: 'MsgKey' },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackAfterSendMsg',
    Official_Account: '@TOA#_2J4SZEAEL',
    MsgKey: '71_1_1698741698',
    MsgTime: 1490686222,
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123,
  },
});
