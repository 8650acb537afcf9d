import * as v from 'valibot';
import { optionalString } from '../fields.ts';
import { live, trtc } from './family.ts';

/** Room metadata keys set to values (`[{Key, Value}]`). */
export const liveAfterSetMetadata = live.after('Live.CallbackAfterSetMetadata', {
  summary: "A live room's metadata was set",
  sources: [trtc(68222)],
  fields: { Metadata: v.optional(v.array(v.looseObject({ Key: optionalString, Value: optionalString }))) },
  example: {
    CallbackCommand: 'Live.CallbackAfterSetMetadata',
    Operator_Account: 'brennanli',
    RoomId: 'live-room1111',
    Metadata: [
      { Key: 'key1', Value: 'value1' },
      { Key: 'key2', Value: 'value2' },
    ],
    EventTime: 1739965885831,
  },
});
