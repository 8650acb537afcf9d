import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccountOrNumber, optionalString } from '../fields.ts';

export { trtc } from '../pages.ts';

/**
 * `Mic.*`: the seats (mics) of a room, sent by both TUILiveKit and TUIRoomKit to their own callback
 * URLs (docs/protocol.md#mic): nothing in the body says which. The room is the place; Room's sample
 * names the operator, Live's names none.
 */
export const mic = defineFamily({
  family: 'Mic',
  products: ['live', 'room'],
  fields: { CallbackCommand: optionalString, RoomId: optionalString, Operator_Account: optionalAccountOrNumber, EventTime: v.optional(eventTime) },
  subjects: { groupId: 'RoomId', accounts: { operator: 'Operator_Account' }, actor: 'operator' },
});
