import * as v from 'valibot';
import { optionalAccount, optionalString } from '../fields.ts';
import { c2c, zh } from './family.ts';

/** New in 2026 (269/128223); no answer table is published: an after-callback. Not in doocs or dobyte. */
export const c2cAfterMsgReadReceipt = c2c.after('C2C.CallbackAfterMsgReadReceipt', {
  summary: 'A user sent read receipts for one-to-one messages',
  sources: [zh(128223)],
  fields: {
    Operator_Account: optionalAccount,
    Peer_Account: optionalAccount,
    C2CMsgInfo: v.optional(
      v.array(v.looseObject({ From_Account: optionalAccount, To_Account: optionalAccount, MsgKey: optionalString, MsgId: optionalString })),
    ),
  },
  // `C2CMsgInfo[]`'s senders and receivers are these two again.
  subjects: { accounts: { reader: 'Operator_Account', peer: 'Peer_Account' }, place: 'peer', actor: 'reader' },
  example: {
    CallbackCommand: 'C2C.CallbackAfterMsgReadReceipt',
    Operator_Account: 'jared',
    Peer_Account: 'Jonh',
    C2CMsgInfo: [{ From_Account: 'Jonh', To_Account: 'jared', MsgKey: '33973751_24064952_1769139583', MsgId: '144115433090395387-1769139578-24064952' }],
    EventTime: 1769139587754,
  },
});
