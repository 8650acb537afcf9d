import * as v from 'valibot';
import { defineFamily } from '../definition.ts';
import { codes, eventTime, optionalAccount, optionalString } from '../fields.ts';

export { en } from '../pages.ts';

/**
 * `Sns.*`: the relationship chain (docs/protocol.md#sns). Each event is about an `account` (its
 * place: the first one) and the other side of each relation (a `friend`, the `blocked`). The
 * before-callbacks (`CallbackPrev*`, not fired for REST API requests) are answered per friend:
 * `ResultItem[].ResultCode` 0 lets that friend through, 38000–39000 refuses it. The top-level
 * `ErrorCode` is not the gate: the page says a non-zero one "is ignored by default" and also asks for
 * 38000–39000 there.
 */
export const sns = defineFamily({
  family: 'Sns',
  // The after-callbacks carry no EventTime, unlike the before-callbacks; declared for both.
  fields: { CallbackCommand: optionalString, EventTime: v.optional(eventTime) },
  subjects: { place: 'account' },
  answers: { refusalCodes: codes([38000, 39000]) },
});

/** The before-callbacks' acting user and the account that issued the request. */
export const snsRequestFields = { Requester_Account: optionalAccount, From_Account: optionalAccount };
/** The before-callbacks' `account` acts; the `requester` is who issued the request (an admin, or the account). */
export const snsRequestAccounts = { account: 'From_Account', requester: 'Requester_Account' } as const;

/**
 * The after-callbacks: one pair per relation added or removed, `From_Account` the account whose list
 * changed and `To_Account` the other side (named by the command: `friend`, `blocked`). No body names
 * who acted (`Sns.CallbackFriendAdd` names the initiator of each pair).
 */
export const pairList = (extra: v.ObjectEntries = {}) =>
  v.optional(v.array(v.looseObject({ From_Account: optionalAccount, To_Account: optionalAccount, ...extra })));
export const pairSubjects = (other: 'friend' | 'blocked') => ({ accounts: { account: 'PairList[].From_Account', [other]: 'PairList[].To_Account' } });
