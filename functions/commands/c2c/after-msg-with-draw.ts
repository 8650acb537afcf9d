import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { c2c, en } from './family.ts';
import { c2cMessageSubjects } from './message-fields.ts';

/**
 * The pages disagree: 1047/43466 and trtc.io send `UnreadMsgNum` and no `EventTime`; 269/61697
 * sends `EventTime` (ms, a family field) and no `UnreadMsgNum`. doocs and dobyte follow the first.
 * Both are accepted.
 */
export const c2cAfterMsgWithDraw = c2c.after('C2C.CallbackAfterMsgWithDraw', {
  summary: 'A one-to-one message was recalled',
  sources: [en(43466), 'cloud.tencent.cn/document/product/269/61697'],
  fields: { From_Account: optionalAccount, To_Account: optionalAccount, MsgKey: optionalString, UnreadMsgNum: optionalInteger },
  subjects: c2cMessageSubjects,
  example: { CallbackCommand: 'C2C.CallbackAfterMsgWithDraw', From_Account: 'jared', To_Account: 'Jonh', MsgKey: '48374_2837546_1557481126', UnreadMsgNum: 7 },
});
