import * as v from 'valibot';
import { optionalInteger, optionalString } from '../fields.ts';
import { group } from './family.ts';

/** `OperateType` 1 sets, 2 deletes, 3 clears. Not on the EN list; trtc.io/zh/document/76007. */
export const groupAfterGroupMsgExtension = group.after('Group.CallbackAfterGroupMsgExtension', {
  summary: "A group message's extensions were set, deleted or cleared",
  sources: ['www.tencentcloud.com/document/product/1047/76007', 'trtc.io/zh/document/76007'],
  fields: {
    MsgSeq: optionalInteger,
    OperateType: optionalInteger,
    ExtensionList: v.optional(v.array(v.looseObject({ Key: optionalString, Value: optionalString, Seq: optionalInteger }))),
    Seq: optionalInteger,
  },
  example: {
    CallbackCommand: 'Group.CallbackAfterGroupMsgExtension',
    GroupId: 'test',
    MsgSeq: 10,
    OperateType: 1,
    ExtensionList: [{ Key: 'key2', Value: 'value2', Seq: 56 }],
    Seq: 56,
    EventTime: 1764688294360,
  },
});
