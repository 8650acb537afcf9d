import { battleFields, battleRoomFields, battleRoomSubjects } from './battle-fields.ts';
import { live, trtc } from './family.ts';

/** A battle began between the rooms named, with their owners. The sample ends in a trailing comma. */
export const liveAfterStartBattle = live.after('Live.CallbackAfterStartBattle', {
  summary: 'A battle (PK) between live rooms started',
  sources: [trtc(68260)],
  fields: { ...battleFields, ...battleRoomFields },
  subjects: battleRoomSubjects,
  recordFields: { battleId: 'BattleId' },
  example: {
    CallbackCommand: 'Live.CallbackAfterStartBattle',
    BattleId: '4siHsNsWN/T3aub9zKraqI4zZAyPRpXQhdtKv1q4HOs=',
    Duration: 60000,
    CreateTime: 1739954005,
    StartTime: 1739954005,
    FromRoomInfo: { RoomId: 'pk-3', Owner_Account: 'brennan' },
    ToRoomList: [{ RoomId: 'pk-5', Owner_Account: 'tandy' }],
    EventTime: 1739954005000,
  },
});
