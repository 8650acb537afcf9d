import { optionalInteger } from '../fields.ts';
import { battleFields, battleRoomFields, battleRoomSubjects } from './battle-fields.ts';
import { live, trtc } from './family.ts';

/**
 * A battle ended: `OpType` 0 when time was up, 1 when every owner left, 2 when it never started;
 * each room's `Score`. The sample's owners are bare numbers above 2^53 (here their digits as strings,
 * as such a number is read: docs/protocol.md#big-integers).
 */
export const liveAfterEndBattle = live.after('Live.CallbackAfterEndBattle', {
  summary: 'A battle (PK) between live rooms ended',
  sources: [trtc(68261)],
  fields: { ...battleFields, ...battleRoomFields, EndTime: optionalInteger, OpType: optionalInteger },
  subjects: battleRoomSubjects,
  recordFields: { battleId: 'BattleId', opType: 'OpType' },
  example: {
    CallbackCommand: 'Live.CallbackAfterEndBattle',
    BattleId: '4siHsNsWN/T3aub9zKraqPfGQAimPhdFoe6VWhtz9lY=',
    Duration: 30000,
    CreateTime: 1739956115,
    StartTime: 1739956115,
    EndTime: 1739956145,
    OpType: 0,
    FromRoomInfo: { RoomId: 'pk-3', Score: 0, Owner_Account: '144115245353757792' },
    ToRoomList: [{ RoomId: 'pk-5', Score: 0, Owner_Account: '144115245442327522' }],
    EventTime: 1739956146119,
  },
});
