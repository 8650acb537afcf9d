import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { codes, eventTime, optionalAccount, optionalString } from '../fields.ts';

export { en } from '../pages.ts';

/**
 * `Sns.*`: the relationship chain (docs/protocol.md#sns). The before-callbacks (`CallbackPrev*`,
 * not fired for REST API requests) are answered per friend: `ResultItem[].ResultCode` 0 lets that
 * friend through, 38000–39000 refuses it. The top-level `ErrorCode` is not the gate: the page says a
 * non-zero one "is ignored by default" and also asks for 38000–39000 there.
 */
export const sns = defineFamily({
  family: 'Sns',
  // The after-callbacks carry no EventTime, unlike the before-callbacks; declared for both.
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { user: 'From_Account' },
  answers: { refusalCodes: codes([38000, 39000]) },
});

/** The before-callbacks' acting user and the account that issued the request. */
export const snsRequestFields = { Requester_Account: optionalAccount, From_Account: optionalAccount };

/** The after-callbacks: one pair per relation added or removed, the user subject its first `From_Account`. */
export const pairList = (extra: v.ObjectEntries = {}) =>
  v.optional(v.array(v.looseObject({ From_Account: optionalAccount, To_Account: optionalAccount, ...extra })));
export const pairSubjects = { user: 'PairList[].From_Account' } as const;
export const pairRecord = { from: 'PairList[].From_Account', to: 'PairList[].To_Account' } as const;
