import { optionalString } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { en, group, zh } from './family.ts';

/**
 * Seed 003. No version found sends `TopicId` or `EventTime`; `TopicId` is accepted if it appears.
 * Only the changed fields are sent.
 */
export const groupAfterTopicInfoChanged = group.after('Group.CallbackAfterTopicInfoChanged', {
  summary: "A topic's name, introduction, notice or photo changed",
  sources: [en(49466), zh(78209)],
  fields: { TopicId: optionalString, Name: optionalString, Introduction: optionalString, Notification: optionalString, FaceUrl: optionalString },
  // Without a TopicId (every version found) the topic cannot be known: nothing changes.
  projection: (body) => {
    const topicId = text(body, 'TopicId');
    return topicId === undefined
      ? []
      : [
          {
            on: 'topic',
            topicId,
            set: defined({
              name: text(body, 'Name'),
              introduction: text(body, 'Introduction'),
              notification: text(body, 'Notification'),
              faceUrl: text(body, 'FaceUrl'),
            }),
          },
        ];
  },
  example: {
    CallbackCommand: 'Group.CallbackAfterTopicInfoChanged',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Community',
    Operator_Account: 'leckie',
    Name: 'TestTopic',
    Introduction: 'TestIntroduction',
    Notification: 'NewNotification',
    FaceUrl: 'http://this.is.face.url',
  },
});
