import * as v from 'valibot';
import { integer, optionalInteger } from '../fields.ts';
import { live, trtc } from './family.ts';

/**
 * The app's live rooms reached 70% of its limit: about the whole app, no room. The table types
 * `CurRoomCount` String and `MaxRoomCount` Array; the sample sends numbers.
 */
export const liveAfterCreateRoomReachingThreshold = live.after('Live.CallbackAfterCreateRoomReachingThreshold', {
  summary: "The app's live rooms reached 70% of its limit",
  sources: [trtc(70485)],
  fields: { CurRoomCount: optionalInteger, MaxRoomCount: v.optional(v.union([integer, v.array(integer)])) },
  recordFields: { rooms: 'CurRoomCount', limit: 'MaxRoomCount' },
  example: {
    CallbackCommand: 'Live.CallbackAfterCreateRoomReachingThreshold',
    Operator_Account: 'brennanli',
    EventTime: 1739966441121,
    CurRoomCount: 400,
    MaxRoomCount: 500,
  },
});
