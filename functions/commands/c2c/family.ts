import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { codes, eventTime, optionalString } from '../fields.ts';

export { en, trtc, zh } from '../pages.ts';

/**
 * `C2C.*`: one-to-one message callbacks (docs/protocol.md#c2c). The user subject is the sender,
 * except for the read reports (the reporting user) and read receipts (the user sending them). The
 * before-callback refuses with 1 (the sender gets 20006) or 120001–130000 (passed to the client with
 * `ErrorInfo`) [1047/34364].
 */
export const c2c = defineFamily({
  family: 'C2C',
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { user: 'From_Account' },
  answers: { refusalCodes: codes([1, 1], [120001, 130000]), refusedClientError: 20006 },
});
