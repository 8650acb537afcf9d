import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccount, optionalString } from '../fields.ts';

export { en, trtc } from '../pages.ts';

/**
 * `Profile.*` (docs/protocol.md#profile): the user subject is whose profile changed (`From_Account`);
 * `Operator_Account` made the change (an admin, or the user).
 */
export const profile = defineFamily({
  family: 'Profile',
  fields: { CallbackCommand: optionalString, Operator_Account: optionalAccount, From_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { user: 'From_Account' },
  recordFields: { operator: 'Operator_Account' },
});
