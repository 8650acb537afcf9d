import * as v from 'valibot';
import { msgBody, optionalAccount, optionalInteger, optionalString } from '../fields.ts';

/**
 * What a one-to-one message callback carries (1047/34364, 1047/34365); `Bot.OnC2CMessage` is a
 * one-to-one message to a bot and carries the same. `MsgSeq` and `MsgRandom` are 32-bit unsigned on
 * the pages (doocs types them Long); `MsgTime` is in seconds.
 */
export const c2cMessageFields = {
  From_Account: optionalAccount,
  To_Account: optionalAccount,
  MsgSeq: optionalInteger,
  MsgRandom: optionalInteger,
  MsgTime: optionalInteger,
  MsgKey: optionalString,
  OnlineOnlyFlag: optionalInteger,
  MsgBody: v.optional(msgBody),
  CloudCustomData: optionalString,
};

/** What a delivered message adds (1047/34365): the delivery result and the receiver's unread count. */
export const c2cDeliveryFields = {
  SendMsgResult: optionalInteger,
  ErrorInfo: optionalString,
  UnreadMsgNum: optionalInteger,
};

/** Who a one-to-one message is from and to. */
export const c2cMessageSubjects = { accounts: { sender: 'From_Account', receiver: 'To_Account' } } as const;
