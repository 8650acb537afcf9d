import * as v from 'valibot';
import { optionalAccountOrNumber, optionalString } from '../fields.ts';
import { call, callUserList, rtcZh, trtc } from './family.ts';

/**
 * Who is in the call now (`UserList`) and who changed (`ChangedUserList`, with `ActionType`), the
 * changed ones acting. The pages spell the actions several ways (`Answer`/`Accept`, `Hangup`/`HangUp`/
 * `Hang Up`, `Invite`/`Invited`, `Cancel_Invite`/`Canncel_Invite`, `Reject`, `NotAnswer`, `Join`,
 * `Offline`): any text is kept.
 */
export const callAfterMemberChanged = call.after('Call.CallbackAfterMemberChanged', {
  summary: "A call's participants changed (answered, hung up, joined, invited…)",
  sources: [trtc(69215), rtcZh(117872)],
  fields: {
    CallId: optionalString,
    UserList: v.optional(callUserList),
    ChangedUserList: v.optional(v.array(v.looseObject({ User_Account: optionalAccountOrNumber, ActionType: optionalString }))),
  },
  subjects: { groupId: 'CallId', accounts: { member: 'UserList[].User_Account', changed: 'ChangedUserList[].User_Account' }, actor: 'changed' },
  recordFields: { action: 'ChangedUserList[].ActionType' },
  example: {
    CallbackCommand: 'Call.CallbackAfterMemberChanged',
    CallId: '055662e1-bc8a-469c-a334-1126c8c17d58',
    UserList: [
      { User_Account: 'user1', Status: 'Calling' },
      { User_Account: 'user2', Status: 'Calling' },
    ],
    ChangedUserList: [{ User_Account: 'user2', ActionType: 'Answer' }],
    EventTime: 1740464128807,
  },
});
