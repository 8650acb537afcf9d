import { optionalString } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { en, group, zh } from './family.ts';

/** Only the fields that changed are sent, out of these four, which alone trigger it. */
export const groupAfterGroupInfoChanged = group.after('Group.CallbackAfterGroupInfoChanged', {
  summary: "A group's name, introduction, notification or photo changed",
  sources: [en(34378), zh(2930)],
  fields: { Name: optionalString, Introduction: optionalString, Notification: optionalString, FaceUrl: optionalString },
  projection: (body) => [
    {
      on: 'group',
      set: defined({
        name: text(body, 'Name'),
        introduction: text(body, 'Introduction'),
        notification: text(body, 'Notification'),
        faceUrl: text(body, 'FaceUrl'),
      }),
    },
  ],
  example: {
    CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    Operator_Account: 'leckie',
    Notification: 'NewNotification',
    EventTime: 1670574414123,
  },
});
