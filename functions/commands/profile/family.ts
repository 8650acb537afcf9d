import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccount, optionalString } from '../fields.ts';

export { en, trtc } from '../pages.ts';

/**
 * `Profile.*` (docs/protocol.md#profile): about the `owner` of the profile (`From_Account`), its
 * place; the `operator` made the change (an admin, or the owner).
 */
export const profile = defineFamily({
  family: 'Profile',
  fields: { CallbackCommand: optionalString, Operator_Account: optionalAccount, From_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { accounts: { owner: 'From_Account', operator: 'Operator_Account' }, place: 'owner', actor: 'operator' },
});
