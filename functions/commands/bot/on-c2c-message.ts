import { c2cDeliveryFields, c2cMessageFields } from '../c2c/message-fields.ts';
import { messageTimeFields } from '../definition.ts';
import { bot, en, toBotSubjects } from './family.ts';

/**
 * A one-to-one message to a bot, with the fields of C2C.CallbackAfterSendMsg. The page's sample is
 * cut off after `MsgBody`: `UnreadMsgNum` and `CloudCustomData` come from doocs, and whether
 * `EventTime` is sent is not known. No answer table is published: an after-callback.
 */
export const botOnC2CMessage = bot.after('Bot.OnC2CMessage', {
  summary: 'A user sent a one-to-one message to a bot',
  sources: [en(68952), 'trtc.io/zh/document/68952'],
  fields: { ...c2cMessageFields, ...c2cDeliveryFields },
  subjects: toBotSubjects,
  // Whether `EventTime` is sent is not known: `MsgTime` is the message's, so the event's.
  timeFields: messageTimeFields,
  example: {
    CallbackCommand: 'Bot.OnC2CMessage',
    From_Account: 'jared',
    To_Account: '@RBT#001',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    OnlineOnlyFlag: 1,
    SendMsgResult: 0,
    ErrorInfo: 'send msg succeed',
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
  },
});
