import * as v from 'valibot';
import { optionalAccountOrNumber, optionalString } from '../fields.ts';
import { accountTexts, text } from '../projection.ts';
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
  // The room's members are who is in it now: online joins, offline leaves (docs/synced-view.md#live-rooms).
  projection: (body) => {
    const change = { Online: {}, Offline: { removed: true } as const }[text(body, 'EventType') ?? ''];
    return change === undefined ? [] : accountTexts(body, 'MemberList[].Member_Account').map((account) => ({ on: 'member', account, ...change }));
  },
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
