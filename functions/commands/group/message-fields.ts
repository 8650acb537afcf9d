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

/** The sender wrote it; `operator` is also set when an admin sent it for them. */
export const groupMessageSubjects = { accounts: { sender: 'From_Account' }, actor: 'sender' } as const;
