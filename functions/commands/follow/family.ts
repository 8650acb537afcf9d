import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalAccount, optionalString } from '../fields.ts';

export { trtc } from '../pages.ts';

/**
 * `Follow.*` (docs/protocol.md#follow): the `follower` (`From_Account`) follows or unfollows the
 * `followed`: the follower is the place, and acted. The pages are on
 * trtc.io and under the TRTC product (647); doocs and dobyte have no model for either command.
 */
export const follow = defineFamily({
  family: 'Follow',
  fields: { CallbackCommand: optionalString, From_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { accounts: { follower: 'From_Account' }, place: 'follower', actor: 'follower' },
});
