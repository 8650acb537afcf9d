import { optionalString } from '../fields.ts';
import { en, group } from './family.ts';

/**
 * Seed 002. No version documents `GroupId`, `TopicId` or `EventTime`, so a policy cannot tell which
 * community the topic is for; they are accepted if Tencent ever adds them. Shares its console switch
 * with BeforeCreateGroup.
 */
export const groupBeforeCreateTopic = group.before('Group.CallbackBeforeCreateTopic', {
  summary: 'A member asks to create a topic (the policy decides)',
  sources: [en(49463)],
  fields: { TopicId: optionalString, Name: optionalString },
  example: { CallbackCommand: 'Group.CallbackBeforeCreateTopic', Operator_Account: 'leckie', Type: 'Community', Name: 'MyFirstTopic' },
});
