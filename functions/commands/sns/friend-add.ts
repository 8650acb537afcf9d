import { optionalAccount, optionalInteger, optionalString } from '../fields.ts';
import { en, pairList, pairSubjects, sns } from './family.ts';

/**
 * `ClientCmd` says how: `friend_add`/`FriendAdd` for a request, `friend_response`/`FriendResponse`
 * for an answer; `Admin_Account` is the admin who triggered it, or "". Not fired by friend import.
 */
export const snsFriendAdd = sns.after('Sns.CallbackFriendAdd', {
  summary: 'Friends were added',
  sources: [en(34359)],
  fields: { PairList: pairList({ Initiator_Account: optionalAccount }), ClientCmd: optionalString, Admin_Account: optionalAccount, ForceFlag: optionalInteger },
  subjects: { accounts: { ...pairSubjects('friend').accounts, initiator: 'PairList[].Initiator_Account', admin: 'Admin_Account' } },
  example: {
    CallbackCommand: 'Sns.CallbackFriendAdd',
    PairList: [{ From_Account: 'id', To_Account: 'id1', Initiator_Account: 'id' }],
    ClientCmd: 'friend_add',
    Admin_Account: '',
    ForceFlag: 1,
  },
});
