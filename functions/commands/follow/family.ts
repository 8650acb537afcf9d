import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccount, optionalString } from '../fields.ts';

export { trtc } from '../pages.ts';

/**
 * `Follow.*` (docs/protocol.md#follow): the user subject is the follower (`From_Account`). The pages
 * are on trtc.io and under the TRTC product (647); doocs and dobyte have no model for either command.
 */
export const follow = defineFamily({
  family: 'Follow',
  fields: { CallbackCommand: optionalString, From_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { user: 'From_Account' },
  recordFields: { follower: 'From_Account' },
});
