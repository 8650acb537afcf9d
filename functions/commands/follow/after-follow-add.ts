import * as v from 'valibot';
import { optionalAccount } from '../fields.ts';
import { follow, trtc } from './family.ts';

/** The targets are objects here (`FollowList[].To_Account`), strings in AfterFollowDelete. */
export const followAfterFollowAdd = follow.after('Follow.CallbackAfterFollowAdd', {
  summary: 'A user followed other users',
  sources: [trtc(70355), 'www.tencentcloud.com/document/product/647/74356'],
  fields: { FollowList: v.optional(v.array(v.looseObject({ To_Account: optionalAccount }))) },
  subjects: { accounts: { followed: 'FollowList[].To_Account' } },
  example: {
    CallbackCommand: 'Follow.CallbackAfterFollowAdd',
    From_Account: 'UserID_001',
    FollowList: [{ To_Account: 'UserID_002' }, { To_Account: 'UserID_003' }],
    EventTime: 1702018343678,
  },
});
