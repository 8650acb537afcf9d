import { rewriteMessageText } from '../fields.ts';
import { officialAccount, officialAccountPages, zh } from './family.ts';
import { officialAccountMessageFields } from './message-fields.ts';

/**
 * 0 allows (a new `MsgBody`/`CloudCustomData` may come with it), 1 refuses, 2 drops silently; the
 * 2 s timeout cannot be changed. The custom refusal range is NOT FOUND: neither the EN page
 * (1047/60803, 2025-05-27) nor the ZH one (269/102323, 2025-08-21; its switch is turned on by a
 * ticket) shows an answer table in what could be read, and the code the sender gets on 1 was seen
 * only as a fragment (10016). The family's 1 and 120001–130000 are used, as for C2C and the other
 * official-account before-callbacks (1047/60795).
 */
export const officialAccountBeforeSendMsg = officialAccount.before('OfficialAccount.CallbackBeforeSendMsg', {
  summary: 'An official account broadcasts a message (the policy may refuse, drop or mask it)',
  sources: [...officialAccountPages(60803), zh(102323)],
  fields: officialAccountMessageFields,
  answers: { drop: true, rewrite: rewriteMessageText },
  example: {
    CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg',
    Official_Account: '@TOA#_2J4SZEAEL',
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123,
  },
});
