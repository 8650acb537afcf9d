import { optionalInteger, optionalString } from '../fields.ts';
import { en, push, pushBatch, zh } from './family.ts';

/**
 * Pushes to all users, a tag or one user (`TaskId` names the task; `TaskTime` is in seconds).
 * `EventType` is 1 offline, 2 online on the page; doocs knows only 1. No answer table is published:
 * an after-callback.
 */
export const pushAllMemberPush = push.after('Push.AllMemberPush', {
  summary: 'Pushes of an all-user, tag or single push task were sent, reached or clicked (a batch)',
  sources: [en(67551), zh(102568)],
  fields: { TaskId: optionalString, TaskTime: optionalInteger },
  recordFields: { task: 'TaskId' },
  batch: pushBatch,
  example: {
    Events: [
      {
        CallbackCommand: 'Push.AllMemberPush',
        EventType: 1,
        TaskId: '657bf434_537529d8_2000005e80aa873_2780d131_bc614e',
        TaskTime: 1557481127,
        EventTime: 1557481128,
        To_Account: 'user2',
        PushPlatform: 1,
        PushStage: 1,
        ErrCode: 0,
        ErrInfo: 'OK',
      },
    ],
  },
});
