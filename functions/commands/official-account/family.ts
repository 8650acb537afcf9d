import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { codes, eventTime, optionalAccount, optionalString } from '../fields.ts';
import { en, trtc } from '../pages.ts';

export { zh } from '../pages.ts';

/**
 * `OfficialAccount.*` (docs/protocol.md#official-account): about the `official` account
 * (`Official_Account`, an id like `@TOA#_…`), its place; the `operator` acted, where a body names one.
 * Every body carries `EventTime` (ms). Before-callbacks refuse with 1 or 120001–130000 (passed to the
 * client with `ErrorInfo`) [1047/60795].
 */
export const officialAccount = defineFamily({
  family: 'OfficialAccount',
  fields: { CallbackCommand: optionalString, Official_Account: optionalAccount, EventTime: v.optional(eventTime) },
  subjects: { accounts: { official: 'Official_Account' }, place: 'official' },
  answers: { refusalCodes: codes([1, 1], [120001, 130000]) },
});

/** Every official-account page has one EN id, mirrored on trtc.io. */
export const officialAccountPages = (page: number) => [en(page), trtc(page)];

export const subscribeAccountList = v.optional(v.array(v.looseObject({ Subscriber_Account: optionalAccount })));
export const subscriberSubjects = {
  accounts: { operator: 'Operator_Account', subscriber: 'SubscribeAccountList[].Subscriber_Account' },
  actor: 'operator',
} as const;

/** Who a create, change or destroy was made by, and the account's name. */
export const accountFields = { Operator_Account: optionalAccount, Owner_Account: optionalAccount, Name: optionalString };
export const accountSubjects = { accounts: { operator: 'Operator_Account', owner: 'Owner_Account' }, actor: 'operator' } as const;
