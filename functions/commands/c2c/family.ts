import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { codes, eventTime, optionalString } from '../fields.ts';

export { en, trtc, zh } from '../pages.ts';

/**
 * `C2C.*`: one-to-one message callbacks (docs/protocol.md#c2c). A message happens to its `receiver`
 * (the event's place) and is by its `sender`; the read reports and receipts happen to the `peer` and
 * are by the `reader`. The before-callback refuses with 1 (the sender gets 20006) or 120001–130000
 * (passed to the client with `ErrorInfo`) [1047/34364].
 */
export const c2c = defineFamily({
  family: 'C2C',
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { place: 'receiver', actor: 'sender' },
  answers: { refusalCodes: codes([1, 1], [120001, 130000]), refusedClientError: 20006 },
});
