import * as v from 'valibot';
import { defaultTimeFields } from '../definition.ts';
import { optionalInteger, optionalString } from '../fields.ts';
import { live, trtc, zh } from './family.ts';

/**
 * A cloud (`EventGroupId` 3) or page (8) recording of the room changed state (`EventType`, as TRTC's
 * recording callbacks number them). Another shape: no `EventTime` but `CallbackTs` (ms), the room and
 * the recorded user in `EventInfo`.
 */
export const liveAfterCloudRecordingChanged = live.after('Live.CallbackAfterCloudRecordingChanged', {
  summary: "A live room's cloud recording changed state",
  sources: [zh(129603), trtc(78428)],
  fields: {
    EventGroupId: optionalInteger,
    EventType: optionalInteger,
    CallbackTs: optionalInteger,
    EventInfo: v.optional(
      v.looseObject({
        RoomId: optionalString,
        EventTs: optionalInteger,
        EventMsTs: optionalInteger,
        UserId: optionalString,
        TaskId: optionalString,
        Payload: v.optional(v.looseObject({ Status: optionalInteger })),
      }),
    ),
  },
  subjects: { groupId: 'EventInfo.RoomId', accounts: { operator: [], recorded: 'EventInfo.UserId' }, actor: 'recorded' },
  recordFields: { eventType: 'EventType', taskId: 'EventInfo.TaskId' },
  timeFields: [...defaultTimeFields, { path: 'CallbackTs', unit: 'ms' }, { path: 'EventInfo.EventMsTs', unit: 'ms' }],
  example: {
    CallbackCommand: 'Live.CallbackAfterCloudRecordingChanged',
    EventGroupId: 3,
    EventType: 305,
    CallbackTs: 1752580150082,
    EventInfo: {
      RoomId: '635055',
      EventTs: 1752580150,
      EventMsTs: 1752580150081,
      UserId: 'user1',
      TaskId: '-m9-bVVU7id***K-m928oZWQndiborbEWH3zY-lIXlprc-gQvQE',
      Payload: { Status: 0 },
    },
  },
});
