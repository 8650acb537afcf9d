import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalString } from '../fields.ts';

/** `State.*`: users' online state (docs/protocol.md#state). The subject is the account it is about. */
export const state = defineFamily({
  family: 'State',
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { user: 'Info.To_Account' },
  recordFields: {},
});
