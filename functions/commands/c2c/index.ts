import type { CommandDefinition } from '../definition.ts';
import { c2cAfterC2CMsgExtension } from './after-c2c-msg-extension.ts';
import { c2cAfterModifyMsg } from './after-modify-msg.ts';
import { c2cAfterMsgReadAll } from './after-msg-read-all.ts';
import { c2cAfterMsgReadReceipt } from './after-msg-read-receipt.ts';
import { c2cAfterMsgReport } from './after-msg-report.ts';
import { c2cAfterMsgWithDraw } from './after-msg-with-draw.ts';
import { c2cAfterSendMsg } from './after-send-msg.ts';
import { c2cBeforeSendMsg } from './before-send-msg.ts';

/** The eight one-to-one message callbacks, in the order of the ZH list (269/1631). */
export const c2cCommands: readonly CommandDefinition[] = [
  c2cAfterC2CMsgExtension,
  c2cBeforeSendMsg,
  c2cAfterSendMsg,
  c2cAfterMsgReport,
  c2cAfterMsgWithDraw,
  c2cAfterMsgReadReceipt,
  c2cAfterModifyMsg,
  c2cAfterMsgReadAll,
];
