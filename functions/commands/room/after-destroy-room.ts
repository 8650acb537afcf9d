import { room, trtc } from './family.ts';

export const roomAfterDestroyRoom = room.after('Room.CallbackAfterDestroyRoom', {
  summary: 'A conference room was dissolved',
  sources: [trtc(60732)],
  fields: {},
  example: { CallbackCommand: 'Room.CallbackAfterDestroyRoom', Operator_Account: 'admin', RoomId: 'tandy-test-rest', EventTime: 1703589922780 },
});
