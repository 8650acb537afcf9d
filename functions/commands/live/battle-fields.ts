import * as v from 'valibot';
import { optionalAccountOrNumber, optionalInteger, optionalString } from '../fields.ts';

/**
 * What the battle (PK) callbacks share: `BattleId`, `Duration` in ms, `CreateTime`/`StartTime`/
 * `EndTime` in seconds. A battle is between rooms: the caller's is the place, the others are named.
 */
export const battleFields = { BattleId: optionalString, Duration: optionalInteger, CreateTime: optionalInteger, StartTime: optionalInteger };

const battleRoom = v.looseObject({ RoomId: optionalString, Owner_Account: optionalAccountOrNumber, Score: optionalInteger });

/** Start and end name the rooms with their owners (and scores, at the end), and no operator. */
export const battleRoomFields = { FromRoomInfo: v.optional(battleRoom), ToRoomList: v.optional(v.array(battleRoom)) };

export const battleRoomSubjects = {
  groupId: 'FromRoomInfo.RoomId',
  groups: ['ToRoomList[].RoomId'],
  // No operator: the battle started, or ended, by itself.
  accounts: { operator: [], owner: ['FromRoomInfo.Owner_Account', 'ToRoomList[].Owner_Account'] },
  actor: undefined,
} as const;
