import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { chatbot, en, toBotSubjects, zh } from './family.ts';

/**
 * A "custom pass-through" message to the chatbot (`Data` is its `data`). Tencent reads the answer:
 * `ErrorCode` 0 with `RspData` (required) sends `RspData` back to the chatbot; 1 is a failure and
 * `RspData` is ignored. The policy's `reply` rules fill it (docs/policy.md#reply); without one it is
 * empty, as the acknowledgement says.
 */
export const chatbotOnC2CSignalMessage = chatbot.after('Chatbot.OnC2CSignalMessage', {
  summary: 'A user sent a pass-through signal to a chatbot',
  sources: [zh(103730), en(59057)],
  fields: { To_Account: optionalAccount, MsgSeq: optionalInteger, MsgRandom: optionalInteger, MsgKey: optionalString, Data: optionalString },
  subjects: toBotSubjects,
  acknowledgement: { RspData: '' },
  replies: { answerField: 'RspData' },
  example: {
    CallbackCommand: 'Chatbot.OnC2CSignalMessage',
    From_Account: 'user01',
    To_Account: '@RBT#chatbot',
    MsgSeq: 5678,
    MsgRandom: 8765,
    MsgKey: '8765_5678_4321',
    EventTime: 1670574414123,
    Data: '{"msg":"custom pass-through"}',
  },
});
