import { messageTimeFields } from '../definition.ts';
import { rewriteMessageText } from '../fields.ts';
import { c2c, en, trtc } from './family.ts';
import { c2cMessageFields, c2cMessageSubjects } from './message-fields.ts';

/**
 * The one-to-one moderation callback: 0 allows (with an optional new `MsgBody`/`CloudCustomData`),
 * 1 refuses (20006), 120001–130000 refuse with the app's code. `ErrorCode` 2 (drop silently: the
 * sender is told it was sent) is on the newer "webhook" pages only; the older intl page lists 0 and
 * 1. A refused message fires no after-callback; a rewritten one fires it with the new body.
 */
export const c2cBeforeSendMsg = c2c.before('C2C.CallbackBeforeSendMsg', {
  summary: 'A user sends a one-to-one message (the policy may refuse, drop or mask it)',
  sources: [en(34364), trtc(34364)],
  fields: c2cMessageFields,
  subjects: c2cMessageSubjects,
  timeFields: messageTimeFields,
  answers: { drop: true, rewrite: rewriteMessageText },
  example: {
    CallbackCommand: 'C2C.CallbackBeforeSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
  },
});
