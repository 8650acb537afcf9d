import { messageTimeFields } from '../definition.ts';
import { optionalString } from '../fields.ts';
import { c2c, en, zh } from './family.ts';
import { c2cDeliveryFields, c2cMessageFields, c2cMessageSubjects } from './message-fields.ts';

/**
 * `SendMsgResult` 0 is delivered; `UnreadMsgNum` is -1 when delivery failed (e.g. the dirty-word
 * filter). `MsgId` is on the newer pages only (1047/34365 zh, 269/2716), not on the old intl copy or
 * in the SDKs; the 269/2716 sample shows no `UnreadMsgNum`, unconfirmed (its excerpt is cut off).
 */
export const c2cAfterSendMsg = c2c.after('C2C.CallbackAfterSendMsg', {
  // The message was this before-callback first, with the same body: a backtest replays it (docs/policy.md#backtest).
  replaysAs: 'C2C.CallbackBeforeSendMsg',
  summary: 'A one-to-one message was sent',
  sources: [en(34365), zh(2716)],
  fields: { ...c2cMessageFields, ...c2cDeliveryFields, MsgId: optionalString },
  subjects: c2cMessageSubjects,
  // Its pages show no `EventTime`: the message's `MsgTime` is the event's.
  timeFields: messageTimeFields,
  // A message sendmsg sent comes back here with its CloudCustomData (docs/production.md#canary).
  canary: { marker: 'CloudCustomData', target: 'account' },
  example: {
    CallbackCommand: 'C2C.CallbackAfterSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    MsgId: '144115233406643804-1727580296-4026038328',
    OnlineOnlyFlag: 1,
    SendMsgResult: 0,
    ErrorInfo: 'send msg succeed',
    UnreadMsgNum: 7,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
  },
});
