import { rewriteMessageText } from '../fields.ts';
import { en, group, zh } from './family.ts';
import { groupMessageFields, groupMessageSubjects } from './message-fields.ts';

/**
 * The moderation callback: 0 allows (with an optional new `MsgBody`), 1 refuses (10016), 2 drops the
 * message silently, 10100–10200 refuse with the app's code. Its 2 s timeout cannot be changed.
 */
export const groupBeforeSendMsg = group.before('Group.CallbackBeforeSendMsg', {
  summary: 'A member sends a group message (the policy may refuse, drop or mask it)',
  sources: [en(34374), zh(1619)],
  fields: groupMessageFields,
  subjects: groupMessageSubjects,
  answers: { drop: true, rewrite: rewriteMessageText },
  example: {
    CallbackCommand: 'Group.CallbackBeforeSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Community',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 123456,
    MsgId: '144115233406643804-1727580296-4026038328',
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
    TopicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic',
    EventTime: 1670574414123,
  },
});
