import * as v from 'valibot';
import { account } from '../fields.ts';
import { follow } from './family.ts';

/**
 * `To_Account` is an array of account strings here, under a name that is one string everywhere else
 * (and where AfterFollowAdd says `FollowList[].To_Account`).
 */
export const followAfterFollowDelete = follow.after('Follow.CallbackAfterFollowDelete', {
  summary: 'A user unfollowed other users',
  // Only trtc.io's ZH copy of this page was found.
  sources: ['trtc.io/zh/document/70356'],
  fields: { To_Account: v.optional(v.array(account)) },
  subjects: { accounts: { followed: 'To_Account[]' } },
  example: {
    CallbackCommand: 'Follow.CallbackAfterFollowDelete',
    From_Account: 'UserID_001',
    To_Account: ['UserID_002', 'UserID_003'],
    EventTime: 1702018343678,
  },
});
