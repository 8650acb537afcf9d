import * as v from 'valibot';
import { optionalBoolean, optionalInteger, optionalString } from '../fields.ts';
import { battleFields } from './battle-fields.ts';
import { live, trtc } from './family.ts';

/**
 * A room challenged others (`ToRoomIdList`) to a battle: `Timeout` (ms) is how long they may take to
 * answer when `NeedResponse`, `Duration` (ms) how long it lasts once started.
 */
export const liveAfterCreateBattle = live.after('Live.CallbackAfterCreateBattle', {
  summary: 'A live room challenged others to a battle (PK)',
  sources: [trtc(68259)],
  fields: {
    ...battleFields,
    FromRoomId: optionalString,
    ToRoomIdList: v.optional(v.array(v.string())),
    Timeout: optionalInteger,
    NeedResponse: optionalBoolean,
    ExtensionInfo: optionalString,
  },
  subjects: { groupId: 'FromRoomId', groups: ['ToRoomIdList[]'] },
  recordFields: { battleId: 'BattleId' },
  example: {
    CallbackCommand: 'Live.CallbackAfterCreateBattle',
    Operator_Account: 'brennanli',
    BattleId: '4siHsNsWN/T3aub9zKraqPbSEGRX2z6gs3LDFi+d/3M=',
    FromRoomId: 'pk-3',
    ToRoomIdList: ['pk-5'],
    Timeout: 30000,
    Duration: 60000,
    NeedResponse: false,
    ExtensionInfo: 'extension pk',
    EventTime: 1739954005000,
  },
});
