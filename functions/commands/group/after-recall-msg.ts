import * as v from 'valibot';
import { optionalInteger, optionalString } from '../fields.ts';
import { en, group } from './family.ts';

export const groupAfterRecallMsg = group.after('Group.CallbackAfterRecallMsg', {
  summary: 'Group messages were recalled',
  sources: [en(46979)],
  fields: { MsgSeqList: v.optional(v.array(v.looseObject({ MsgSeq: optionalInteger, MsgId: optionalString }))), TopicId: optionalString },
  example: {
    CallbackCommand: 'Group.CallbackAfterRecallMsg',
    Operator_Account: 'admin',
    Type: 'Community',
    GroupId: '1213456',
    MsgSeqList: [{ MsgSeq: 130, MsgId: '144115213033478435-1739361321-2512805311' }],
    TopicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic',
    EventTime: '1670574414123',
  },
});
