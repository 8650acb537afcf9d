import type { CommandDefinition } from '../definition.ts';
import { botOnC2CMessage } from './on-c2c-message.ts';
import { chatbotOnC2CSignalMessage } from './on-c2c-signal-message.ts';
import { botOnGroupMessage } from './on-group-message.ts';

/** The bot callbacks (机器人相关回调), one list per family name. */
export const botCommands: readonly CommandDefinition[] = [botOnC2CMessage, botOnGroupMessage];
export const chatbotCommands: readonly CommandDefinition[] = [chatbotOnC2CSignalMessage];
