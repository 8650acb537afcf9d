import * as v from 'valibot';
import { texts } from '../projection.ts';
import { en, group, zh } from './family.ts';

/** `TopicIdList` is an array of strings (the table mislabels it String); no `EventTime`. */
export const groupAfterTopicDestroyed = group.after('Group.CallbackAfterTopicDestroyed', {
  summary: 'Topics were deleted',
  sources: [en(49465), zh(78208)],
  fields: { TopicIdList: v.optional(v.array(v.string())) },
  subjects: { topicId: 'TopicIdList[]' },
  projection: (body) => texts(body, 'TopicIdList[]').map((topicId) => ({ on: 'topic', topicId, removed: true })),
  example: {
    CallbackCommand: 'Group.CallbackAfterTopicDestroyed',
    GroupId: '@TGS#_@TGS#cQVLVHIM62CJ',
    Type: 'Community',
    TopicIdList: ['@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic'],
  },
});
