import { alertCommands } from './alert/index.ts';
import { botCommands, chatbotCommands } from './bot/index.ts';
import { c2cCommands } from './c2c/index.ts';
import { callCommands } from './call/index.ts';
import { contentCallbackCommands } from './content-callback/index.ts';
import type { CommandDefinition } from './definition.ts';
import { followCommands } from './follow/index.ts';
import { groupCommands } from './group/index.ts';
import { liveCommands } from './live/index.ts';
import { micCommands } from './mic/index.ts';
import { officialAccountCommands } from './official-account/index.ts';
import { profileCommands } from './profile/index.ts';
import { pushCommands } from './push/index.ts';
import { roomCommands } from './room/index.ts';
import { snsCommands } from './sns/index.ts';
import { stateCommands } from './state/index.ts';

/**
 * Every family's commands, in the order docs/commands.md#commands-table lists them: Chat's, then those
 * of the products sold with it that call back in Chat's envelope (Live, its and Room's seats, Room,
 * Call). A family is a folder beside this file with a module per command and its shared fields,
 * subjects and codes (family.ts).
 */
export const families: readonly (readonly CommandDefinition[])[] = [
  groupCommands,
  c2cCommands,
  stateCommands,
  profileCommands,
  snsCommands,
  followCommands,
  officialAccountCommands,
  botCommands,
  chatbotCommands,
  pushCommands,
  alertCommands,
  contentCallbackCommands,
  liveCommands,
  micCommands,
  roomCommands,
  callCommands,
];
