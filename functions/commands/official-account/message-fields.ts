import * as v from 'valibot';
import { msgBody, optionalInteger, optionalString } from '../fields.ts';

/** What an official-account broadcast carries (1047/60803, 1047/60804). It names no sender account. */
export const officialAccountMessageFields = {
  OnlineOnlyFlag: optionalInteger,
  MsgBody: v.optional(msgBody),
  CloudCustomData: optionalString,
};
