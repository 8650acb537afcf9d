import * as v from 'valibot';
import { optionalAccountOrNumber, optionalString } from '../fields.ts';
import { live, trtc, zh } from './family.ts';

/**
 * Audience members came online or went offline in a live room: `EventType` `Online` or `Offline`,
 * `EventCause` `Enter`, `Leave`, `HeartbeatInterrupt` (after 90–110 s), `HeartbeatRecover`, or
 * `Kicked` (one copy). No operator: the members are who it is by. The parameter table calls it
 * `Live.CallbackMemberStateChanged`; the command list, the sample and the ZH pages say this.
 */
export const liveAfterMemberStateChanged = live.after('Live.CallbackAfterMemberStateChanged', {
  summary: 'Live-room audience members came online or went offline',
  sources: [trtc(64424), zh(125793)],
  fields: {
    EventType: optionalString,
    EventCause: optionalString,
    MemberList: v.optional(v.array(v.looseObject({ Member_Account: optionalAccountOrNumber }))),
  },
  subjects: { accounts: { operator: [], member: 'MemberList[].Member_Account' }, actor: 'member' },
  recordFields: { eventType: 'EventType', cause: 'EventCause' },
  example: {
    CallbackCommand: 'Live.CallbackAfterMemberStateChanged',
    RoomId: 'room_id',
    EventType: 'Online',
    EventCause: 'Enter',
    MemberList: [{ Member_Account: 'jared' }, { Member_Account: 'tommy' }],
    EventTime: 1703589922780,
  },
});
