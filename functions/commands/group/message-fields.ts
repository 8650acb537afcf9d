import * as v from 'valibot';
import { msgBody, optionalAccount, optionalInteger, optionalString } from '../fields.ts';

/** What every group message callback carries (1047/34374, 34375, 49462: docs/protocol.md#group); `MsgId` only on newer pages. */
export const groupMessageFields = {
  From_Account: optionalAccount,
  Random: optionalInteger,
  MsgId: optionalString,
  OnlineOnlyFlag: optionalInteger,
  MsgBody: v.optional(msgBody),
  CloudCustomData: optionalString,
  TopicId: optionalString,
};

export const groupMessageSubjects = { user: 'From_Account' } as const;
export const groupMessageRecord = { sender: 'From_Account', operator: 'Operator_Account' } as const;
