import { optionalAccount, optionalInteger } from '../fields.ts';
import { c2c, en, zh } from './family.ts';

/** `LastReadTime` has no unit on the page; its sample (1614754606) is in seconds. */
export const c2cAfterMsgReport = c2c.after('C2C.CallbackAfterMsgReport', {
  summary: 'A user read a one-to-one conversation',
  sources: [en(43465), zh(61696)],
  fields: { Report_Account: optionalAccount, Peer_Account: optionalAccount, LastReadTime: optionalInteger, UnreadMsgNum: optionalInteger },
  // Its `LastReadTime` is how far the reader read, not when: no time field.
  subjects: { accounts: { reader: 'Report_Account', peer: 'Peer_Account' }, place: 'peer', actor: 'reader' },
  example: { CallbackCommand: 'C2C.CallbackAfterMsgReport', Report_Account: 'jared', Peer_Account: 'Jonh', LastReadTime: 1614754606, UnreadMsgNum: 7 },
});
