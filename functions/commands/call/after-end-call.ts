import * as v from 'valibot';
import { accountOrNumber, optionalAccountOrNumber, optionalInteger, optionalString } from '../fields.ts';
import { call, rtcZh, trtc } from './family.ts';

/**
 * A call ended (at most one participant left): its record, times in seconds (`AcceptTime` 0 when never
 * answered), `CallResult` `Cancel`, `Reject`, `NotAnswer`, `NormalEnd`, `CallBusy`, `Interrupt` or
 * `Offline` (a string, though the ZH table says Integer). The caller acted. The sample misses the
 * comma before `EventTime`.
 */
export const callAfterEndCall = call.after('Call.CallbackAfterEndCall', {
  summary: 'A call ended',
  sources: [trtc(68940), rtcZh(116424)],
  fields: {
    CallRecord: v.optional(
      v.looseObject({
        CallId: optionalString,
        Caller_Account: optionalAccountOrNumber,
        MediaType: optionalString,
        CallType: optionalString,
        StartTime: optionalInteger,
        EndTime: optionalInteger,
        AcceptTime: optionalInteger,
        CallResult: v.optional(v.union([v.string(), v.number()])),
        CalleeList_Account: v.optional(v.array(accountOrNumber)),
        RoomId: optionalString,
        RoomIdType: optionalInteger,
      }),
    ),
  },
  subjects: {
    groupId: 'CallRecord.CallId',
    groups: ['CallRecord.RoomId'],
    accounts: { caller: 'CallRecord.Caller_Account', callee: 'CallRecord.CalleeList_Account[]' },
    actor: 'caller',
  },
  recordFields: { result: 'CallRecord.CallResult', callType: 'CallRecord.CallType' },
  example: {
    CallbackCommand: 'Call.CallbackAfterEndCall',
    CallRecord: {
      CallId: '055662e1-bc8a-469c-a334-1126c8c17d58',
      Caller_Account: '10001',
      MediaType: 'Audio',
      CallType: 'SingleCall',
      StartTime: 1741231146,
      EndTime: 1741231296,
      AcceptTime: 0,
      CallResult: 'NotAnswer',
      CalleeList_Account: ['10001', 'user2'],
      RoomId: 'roomid-1434',
      RoomIdType: 2,
    },
    EventTime: 1703589922780,
  },
});
