import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccount, optionalString } from '../fields.ts';

export { en, zh } from '../pages.ts';

/**
 * The bot callbacks (docs/protocol.md#bot) come under two names, `Bot.*` and `Chatbot.*`, so two
 * families share this folder. The `sender` wrote to the `bot` (an `@RBT#…` account: the store spreads
 * those wide), which is the place of a one-to-one message.
 */
const shared = {
  fields: { CallbackCommand: optionalString, From_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { accounts: { sender: 'From_Account' }, actor: 'sender' },
};

/** A one-to-one message to a bot: the bot is its place. */
export const toBotSubjects = { accounts: { bot: 'To_Account' }, place: 'bot' } as const;

export const bot = defineFamily({ family: 'Bot', ...shared });
export const chatbot = defineFamily({ family: 'Chatbot', ...shared });
