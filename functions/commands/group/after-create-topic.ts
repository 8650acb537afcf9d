import * as v from 'valibot';
import { optionalAccount, optionalString, userDefinedDataList } from '../fields.ts';
import { defined, text } from '../projection.ts';
import { en, group, zh } from './family.ts';

/** Seeds 000 and 004. No version sends `EventTime`. */
export const groupAfterCreateTopic = group.after('Group.CallbackAfterCreateTopic', {
  summary: 'A topic was created',
  sources: [en(49464), zh(78207)],
  fields: { TopicId: optionalString, Owner_Account: optionalAccount, Name: optionalString, UserDefinedDataList: v.optional(userDefinedDataList) },
  subjects: { accounts: { owner: 'Owner_Account' } },
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
    CallbackCommand: 'Group.CallbackAfterCreateTopic',
    GroupId: '@TGS#2J4SZEAEL',
    TopicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5',
    Operator_Account: 'group_root',
    Owner_Account: 'leckie',
    Type: 'Community',
    Name: 'MyFirstTopic',
    UserDefinedDataList: [{ Key: 'UserDefined1', Value: 'hello' }],
  },
});
