import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { en, push, pushBatch, zh } from './family.ts';

/**
 * `EventType` 1 is a one-to-one message (with `MsgKey`), 2 a group message (with `GroupID`, a capital
 * "ID" where every other family says `GroupId`; `MsgRandom` empty). `PushID` is on the page, not in
 * doocs. No answer table is published: an after-callback.
 */
export const pushOfflinePush = push.after('Push.OfflinePush', {
  summary: 'Offline pushes of messages were sent, reached or clicked (a batch)',
  sources: [en(67552), zh(102567)],
  fields: {
    From_Account: optionalAccount,
    MsgKey: optionalString,
    GroupID: optionalString,
    MsgSeq: optionalInteger,
    MsgRandom: optionalInteger,
    MsgTime: optionalInteger,
    PushID: optionalString,
  },
  // `MsgTime` is the message's, not the push's: no time field.
  subjects: { groupId: 'GroupID', accounts: { sender: 'From_Account' } },
  recordFields: { msgKey: 'MsgKey' },
  batch: pushBatch,
  example: {
    Events: [
      {
        CallbackCommand: 'Push.OfflinePush',
        EventType: 1,
        EventTime: 1557481127,
        From_Account: 'user1',
        To_Account: 'user2',
        PushPlatform: 1,
        PushStage: 1,
        MsgKey: '48374_2837546_1557481126',
        MsgSeq: 48374,
        MsgRandom: 2837546,
        MsgTime: 1557481126,
        PushID: '67120c46_6a4086c0_9bf5fb50_200002d1089b322_2000005d8d46421',
        ErrCode: 0,
        ErrInfo: 'OK',
      },
    ],
  },
});
