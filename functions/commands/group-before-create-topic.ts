import * as v from 'valibot';
import { beforeCallback } from './command-definition.ts';
import { groupEventFields, optionalString } from './fields.ts';

/**
 * Sources: G-49463, seed 002. No version documents `GroupId`, `TopicId` or `EventTime`, so a policy
 * cannot tell which community the topic is for; they are accepted if Tencent ever adds them.
 */
export const groupBeforeCreateTopic = beforeCallback(
  'A member asks to create a topic (the policy decides)',
  v.looseObject({
    ...groupEventFields,
    TopicId: optionalString,
    Name: optionalString,
  }),
);
