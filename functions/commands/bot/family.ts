import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccount, optionalString } from '../fields.ts';

export { en, zh } from '../pages.ts';

/**
 * The bot callbacks (docs/protocol.md#bot) come under two names, `Bot.*` and `Chatbot.*`, so two
 * families share this folder. The user subject is the user who wrote to the bot (`From_Account`);
 * a bot's account is `@RBT#…`.
 */
const shared = {
  fields: { CallbackCommand: optionalString, From_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { user: 'From_Account' },
  recordFields: { sender: 'From_Account' },
};

export const bot = defineFamily({ family: 'Bot', ...shared });
export const chatbot = defineFamily({ family: 'Chatbot', ...shared });
