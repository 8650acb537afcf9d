import * as v from 'valibot';
import { msgBody, optionalAccount, optionalInteger, optionalString } from '../fields.ts';

/** What every group message callback carries (G-34374, G-34375, G-49462); `MsgId` only on newer pages. */
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
