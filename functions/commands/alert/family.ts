import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { eventTime, optionalString } from '../fields.ts';

export { en } from '../pages.ts';

/**
 * `Alert.*`, in the "运营管理" (operations) section of 269/1523: about the app, not a user, so it has
 * no subject. Its URL carries `OptPlatform` but no `ClientIP`; no `EventTime` is documented (declared
 * in case it comes, as it did to the other families over time).
 */
export const alert = defineFamily({
  family: 'Alert',
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
});
