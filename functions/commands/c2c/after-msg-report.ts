import { optionalAccount, optionalInteger } from '../fields.ts';
import { c2c, en, zh } from './family.ts';

/** `LastReadTime` has no unit on the page; its sample (1614754606) is in seconds. */
export const c2cAfterMsgReport = c2c.after('C2C.CallbackAfterMsgReport', {
  summary: 'A user read a one-to-one conversation',
  sources: [en(43465), zh(61696)],
  fields: { Report_Account: optionalAccount, Peer_Account: optionalAccount, LastReadTime: optionalInteger, UnreadMsgNum: optionalInteger },
  subjects: { user: 'Report_Account' },
  recordFields: { reporter: 'Report_Account', peer: 'Peer_Account' },
  example: { CallbackCommand: 'C2C.CallbackAfterMsgReport', Report_Account: 'jared', Peer_Account: 'Jonh', LastReadTime: 1614754606, UnreadMsgNum: 7 },
});
