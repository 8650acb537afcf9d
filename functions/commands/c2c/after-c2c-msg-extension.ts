import * as v from 'valibot';
import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { c2c, en, zh } from './family.ts';
import { c2cMessageSubjects } from './message-fields.ts';

/**
 * `OperateType` 1 sets, 2 deletes (each `Value` then ""), 3 clears all. The callback page's "clear"
 * sample is cut off before its `OperateType` (269/126475); 3 is what the C2C REST API that fires it
 * defines as "clear all" (1047/51195: "1 set, 2 delete, 3 clear all KVs") and what the group
 * callback's clear sample sends, with an empty `ExtensionList` (269/126476). No answer table is
 * published: an after-callback.
 */
export const c2cAfterC2CMsgExtension = c2c.after('C2C.CallbackAfterC2CMsgExtension', {
  summary: "A one-to-one message's extensions were set, deleted or cleared",
  sources: [zh(126475), en(76006), 'trtc.io/zh/document/76006'],
  fields: {
    From_Account: optionalAccount,
    To_Account: optionalAccount,
    MsgKey: optionalString,
    OperateType: optionalInteger,
    // `Seq` per KV is that KV's version; the top-level `Seq` is the whole message's latest version.
    ExtensionList: v.optional(v.array(v.looseObject({ Key: optionalString, Value: optionalString, Seq: optionalInteger }))),
    Seq: optionalInteger,
  },
  subjects: c2cMessageSubjects,
  example: {
    CallbackCommand: 'C2C.CallbackAfterC2CMsgExtension',
    From_Account: 'user1',
    To_Account: 'user2',
    MsgKey: '93847636_1287657_1764688415',
    OperateType: 1,
    ExtensionList: [{ Key: 'k1', Value: 'v1', Seq: 1 }],
    Seq: 1,
    EventTime: 1764688540182,
  },
});
