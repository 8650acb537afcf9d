import { messageTimeFields } from '../definition.ts';
import { optionalInteger } from '../fields.ts';
import { en, group } from './family.ts';
import { groupMessageFields, groupMessageSubjects } from './message-fields.ts';

/**
 * `MsgTime` is in seconds, the message's time: the event's when a copy sends no `EventTime`. The Live
 * product reuses it with `Type: "Live"` (647/74348).
 */
export const groupAfterSendMsg = group.after('Group.CallbackAfterSendMsg', {
  // The message was this before-callback first, with the same body: a backtest replays it (docs/policy.md#backtest).
  replaysAs: 'Group.CallbackBeforeSendMsg',
  summary: 'A group message was sent',
  sources: [en(34375), 'www.tencentcloud.com/document/product/647/74348'],
  fields: { ...groupMessageFields, MsgSeq: optionalInteger, MsgTime: optionalInteger },
  subjects: groupMessageSubjects,
  timeFields: messageTimeFields,
  // A message send_group_msg sent comes back here with its CloudCustomData (docs/production.md#canary).
  canary: { marker: 'CloudCustomData', target: 'group' },
  example: {
    CallbackCommand: 'Group.CallbackAfterSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 123456,
    MsgSeq: 123,
    MsgTime: 1490686222,
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'x',
    EventTime: '1670574414123',
  },
});
