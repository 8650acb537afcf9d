import * as v from 'valibot';
import { memberList, optionalInteger } from '../fields.ts';
import { en, group } from './family.ts';

/** The readers are per message; no operator is named: the readers acted (docs/protocol.md#group). */
export const groupAfterReadReceipt = group.after('Group.CallbackAfterReadReceipt', {
  summary: 'Members read group messages (read receipts)',
  sources: [en(60395)],
  fields: {
    GroupMsgReceiptList: v.optional(
      v.array(v.looseObject({ MsgSeq: optionalInteger, ReadNum: optionalInteger, UnreadNum: optionalInteger, ReadReceiptMembers: v.optional(memberList) })),
    ),
  },
  subjects: { accounts: { reader: 'GroupMsgReceiptList[].ReadReceiptMembers[].Member_Account' }, actor: 'reader' },
  example: {
    CallbackCommand: 'Group.CallbackAfterReadReceipt',
    GroupId: '@TGS#2TTV7VSII',
    Type: 'Public',
    GroupMsgReceiptList: [{ MsgSeq: 1, ReadNum: 1, UnreadNum: 6, ReadReceiptMembers: [{ Member_Account: 'user0' }] }],
    EventTime: '1670574414123',
  },
});
