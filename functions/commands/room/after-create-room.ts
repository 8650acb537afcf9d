import * as v from 'valibot';
import { accountOrNumber } from '../fields.ts';
import { conferenceInfoFields, room, trtc } from './family.ts';

/** A conference was created, or scheduled (`ScheduleInviteeList_Account`: who was invited). */
export const roomAfterCreateRoom = room.after('Room.CallbackAfterCreateRoom', {
  summary: 'A conference room was created or scheduled',
  sources: [trtc(60733)],
  fields: { RoomInfo: v.optional(v.looseObject(conferenceInfoFields)), ScheduleInviteeList_Account: v.optional(v.array(accountOrNumber)) },
  subjects: { groupId: 'RoomInfo.RoomId', accounts: { owner: 'RoomInfo.Owner_Account', invited: 'ScheduleInviteeList_Account[]' } },
  example: {
    CallbackCommand: 'Room.CallbackAfterCreateRoom',
    Operator_Account: 'admin',
    RoomInfo: {
      RoomId: 'tandy-test-rest',
      RoomName: 'tandy-test-rest',
      RoomType: 'Meeting',
      Owner_Account: 'user3',
      MaxMemberCount: 300,
      MaxSeatCount: 16,
      IsVideoDisabled: true,
      IsAudioDisabled: true,
      IsMessageDisabled: true,
      IsScreenSharingDisabled: true,
      IsCloudRecordingDisabled: true,
      CustomInfo: 'custom123',
      ScheduleStartTime: 1703589922,
      ScheduleEndTime: 1703593522,
      RoomStatus: 'Running',
      IsSeatEnabled: true,
      TakeSeatMode: 'ApplyToTake',
      CreateTime: 1703589922,
    },
    ScheduleInviteeList_Account: ['user2', 'user3', 'user3'],
    EventTime: 1703589922780,
  },
});
