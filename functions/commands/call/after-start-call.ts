import * as v from 'valibot';
import { optionalInteger, optionalString } from '../fields.ts';
import { call, callUserList, rtcZh, trtc } from './family.ts';

/**
 * A call started. The table names the media field `MediaType`, the sample `CallMediaType`; `RoomIdType`
 * 1 is a numeric room, 2 a string one. The EN sample sends the users as bare numbers above 2^53, the
 * ZH one as strings (as here).
 */
export const callAfterStartCall = call.after('Call.CallbackAfterStartCall', {
  summary: 'A call started',
  sources: [trtc(68941), rtcZh(116423)],
  fields: {
    CallInfo: v.optional(
      v.looseObject({
        CallId: optionalString,
        CallMediaType: optionalString,
        MediaType: optionalString,
        ChatGroupId: optionalString,
        RoomId: optionalString,
        RoomIdType: optionalInteger,
      }),
    ),
    UserList: v.optional(callUserList),
  },
  subjects: { groupId: 'CallInfo.CallId', groups: ['CallInfo.RoomId', 'CallInfo.ChatGroupId'], accounts: { member: 'UserList[].User_Account' } },
  recordFields: { media: 'CallInfo.CallMediaType' },
  example: {
    CallbackCommand: 'Call.CallbackAfterStartCall',
    CallInfo: { CallId: '055662e1-bc8a-469c-a334-1126c8c17d58', CallMediaType: 'Audio', ChatGroupId: '', RoomId: '', RoomIdType: 1 },
    UserList: [
      { User_Account: 'user1', Status: 'Calling' },
      { User_Account: 'user2', Status: 'Waiting' },
    ],
    EventTime: 1740464128807,
  },
});
