import type { CommandDefinition } from '../definition.ts';
import { officialAccountAfterAddSubscriber } from './after-add-subscriber.ts';
import { officialAccountAfterCreateOfficialAccount } from './after-create-official-account.ts';
import { officialAccountAfterDeleteSubscriber } from './after-delete-subscriber.ts';
import { officialAccountAfterMsgWithDraw } from './after-msg-with-draw.ts';
import { officialAccountAfterOfficialAccountDestroyed } from './after-official-account-destroyed.ts';
import { officialAccountAfterOfficialAccountFull } from './after-official-account-full.ts';
import { officialAccountAfterOfficialAccountInfoChanged } from './after-official-account-info-changed.ts';
import { officialAccountAfterSendMsg } from './after-send-msg.ts';
import { officialAccountBeforeAddSubscriber } from './before-add-subscriber.ts';
import { officialAccountBeforeCreateOfficialAccount } from './before-create-official-account.ts';
import { officialAccountBeforeSendMsg } from './before-send-msg.ts';

/** The eleven official-account callbacks, in the order of their pages (1047/60795–60805). */
export const officialAccountCommands: readonly CommandDefinition[] = [
  officialAccountBeforeCreateOfficialAccount,
  officialAccountAfterCreateOfficialAccount,
  officialAccountAfterOfficialAccountInfoChanged,
  officialAccountAfterOfficialAccountDestroyed,
  officialAccountBeforeAddSubscriber,
  officialAccountAfterAddSubscriber,
  officialAccountAfterOfficialAccountFull,
  officialAccountAfterDeleteSubscriber,
  officialAccountBeforeSendMsg,
  officialAccountAfterSendMsg,
  officialAccountAfterMsgWithDraw,
];
