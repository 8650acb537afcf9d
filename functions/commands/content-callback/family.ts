import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalString } from '../fields.ts';

export { en, trtc } from '../pages.ts';

/**
 * `ContentCallback.*`, cloud moderation results (docs/protocol.md#content-callback). The body has NO
 * `CallbackCommand` (the chain takes the URL's) and no `EventTime` (declared in case it comes, as it
 * did to the other families over time); it carries `SdkAppId` instead,
 * a number, spelled with a capital I where the query string says `SdkAppid`. By default only
 * violating results are sent. The `sender` of the moderated content acted.
 */
export const contentCallback = defineFamily({
  family: 'ContentCallback',
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { actor: 'sender' },
});
