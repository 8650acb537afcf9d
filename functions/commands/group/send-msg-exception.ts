import { optionalInteger, optionalString } from '../fields.ts';
import { en, group } from './family.ts';
import { groupMessageFields, groupMessageSubjects } from './message-fields.ts';

/** The request carries why delivery failed (`ErrorCode`, `ErrorInfo`, e.g. 10023); the answer is fixed at OK/0. */
export const groupSendMsgException = group.after('Group.CallbackSendMsgException', {
  summary: 'A group message could not be delivered',
  sources: [en(49462)],
  fields: { ...groupMessageFields, ErrorCode: optionalInteger, ErrorInfo: optionalString },
  subjects: groupMessageSubjects,
  example: {
    CallbackCommand: 'Group.CallbackSendMsgException',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 123456,
    OnlineOnlyFlag: 1,
    MsgBody: [],
    CloudCustomData: '',
    ErrorCode: 10023,
    ErrorInfo: 'msg count exceeds limit,please retry later',
    EventTime: '1670574414123',
  },
});
