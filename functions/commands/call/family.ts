import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccountOrNumber, optionalString } from '../fields.ts';

export { rtcZh, trtc } from '../pages.ts';

/**
 * `Call.*`: TUICallKit's calls (docs/protocol.md#call), sent to the URL set with
 * `v4/call_config/set_callback` (the only way: trtc.io/document/68941), in Chat's envelope and with
 * Chat's answer; every one an after-callback. A call's place is its `CallId`, which all three carry:
 * its TRTC room and Chat group are named beside it, and are `""` for a one-to-one call. Not the
 * deprecated v1 callbacks, whose URL says `command=` (docs/protocol.md#older-products).
 */
export const call = defineFamily({
  family: 'Call',
  products: ['call'],
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { accounts: {} },
});

/** Who is in the call and how (`Calling` or `Waiting`). */
export const callUserList = v.array(v.looseObject({ User_Account: optionalAccountOrNumber, Status: optionalString }));
