import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalString } from '../fields.ts';

/**
 * `State.*`: users' online state (docs/protocol.md#state): about one `account`, its place. No actor is
 * named apart from it: the account's own devices connect and disconnect.
 */
export const state = defineFamily({
  family: 'State',
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { accounts: { account: 'Info.To_Account' }, place: 'account' },
});
