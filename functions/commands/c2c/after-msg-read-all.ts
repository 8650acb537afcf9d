import * as v from 'valibot';
import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { c2c, zh } from './family.ts';

/**
 * New in 2026 (269/128225), and it covers group conversations too (`GroupReadInfo`), under a `C2C.`
 * name. It is about one user across conversations: the reader is its place, and the groups it names
 * are not.
 */
export const c2cAfterMsgReadAll = c2c.after('C2C.CallbackAfterMsgReadAll', {
  summary: 'A user cleared all unread messages (one-to-one and group)',
  sources: [zh(128225)],
  fields: {
    Report_Account: optionalAccount,
    GroupReadInfo: v.optional(v.array(v.looseObject({ GroupId: optionalString, MsgSeq: optionalInteger }))),
  },
  subjects: { groups: ['GroupReadInfo[].GroupId'], accounts: { reader: 'Report_Account' }, place: 'reader', actor: 'reader' },
  example: {
    CallbackCommand: 'C2C.CallbackAfterMsgReadAll',
    Report_Account: 'Jonh',
    EventTime: 1769773302575,
    GroupReadInfo: [{ GroupId: 'groupid', MsgSeq: 100 }],
  },
});
