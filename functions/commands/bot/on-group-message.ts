import * as v from 'valibot';
import { liveRoom, messageTimeFields } from '../definition.ts';
import { account, msgBody, optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { bot, en, zh } from './family.ts';

/**
 * A group message that @-mentions bots (not fired by @all). The page's names are used: `Random`
 * (not `MsgRandom`) and `AtRobots_Account`; doocs maps `AtRobotAccount`, `MsgRandom` onto msgTime
 * and `IsPlaceMsg` onto topicId, which are its bugs. `OnlineOnlyFlag` is 0 for AVChatRoom. No
 * answer table is published: an after-callback.
 */
export const botOnGroupMessage = bot.after('Bot.OnGroupMessage', {
  summary: 'A group message mentioned bots',
  sources: [zh(89994), en(68953)],
  fields: {
    GroupId: optionalString,
    Type: optionalString,
    Operator_Account: optionalAccount,
    Random: optionalInteger,
    MsgSeq: optionalInteger,
    MsgTime: optionalInteger,
    OnlineOnlyFlag: optionalInteger,
    MsgBody: v.optional(msgBody),
    AtRobots_Account: v.optional(v.array(account)),
    CloudCustomData: optionalString,
  },
  subjects: { groupId: 'GroupId', accounts: { operator: 'Operator_Account', bot: 'AtRobots_Account[]' }, busy: liveRoom },
  timeFields: messageTimeFields,
  example: {
    CallbackCommand: 'Bot.OnGroupMessage',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Operator_Account: 'admin',
    Random: 123456,
    MsgSeq: 123,
    MsgTime: 1490686222,
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@@RBT#001 hello' } }],
    AtRobots_Account: ['@RBT#001'],
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123,
  },
});
