import * as v from 'valibot';
import { afterCallback } from './command-definition.ts';
import { groupEventFields, optionalString } from './fields.ts';

/**
 * Sources: G-49466, G-78209, seed 003. No version found sends `TopicId` or `EventTime`; `TopicId` is
 * accepted if it appears. Only the changed fields are sent.
 */
export const groupAfterTopicInfoChanged = afterCallback(
  "A topic's name, introduction, notice or photo changed",
  v.looseObject({
    ...groupEventFields,
    TopicId: optionalString,
    Name: optionalString,
    Introduction: optionalString,
    Notification: optionalString,
    FaceUrl: optionalString,
  }),
);
