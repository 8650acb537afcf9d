import * as v from 'valibot';
import { msgBody, optionalInteger } from '../fields.ts';
import { group, zh } from './family.ts';

/**
 * New in 2026 (269/129193, Chinese only): a group message was edited, by a member or through the REST
 * API's "modify group history message"; the `operator` edited it. `MsgSeq` names the edited message,
 * `MsgBody` is it as edited; `TopicId` is `""` outside topic communities. No `Type`, `From_Account`
 * or `MsgTime`: the event's time is its `EventTime`. The standard after-answer (0 = received).
 */
export const groupAfterModifyMsg = group.after('Group.CallbackAfterModifyMsg', {
  summary: 'A group message was edited',
  sources: [zh(129193)],
  fields: { MsgSeq: optionalInteger, MsgBody: v.optional(msgBody) },
  example: {
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '2026-03-06T02:09:35.302Z' } }],
    CallbackCommand: 'Group.CallbackAfterModifyMsg',
    Operator_Account: 'oper-user',
    GroupId: 'group-test-2',
    TopicId: '',
    MsgSeq: 53,
    EventTime: 1772762975589,
  },
});
