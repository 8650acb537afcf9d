import { en, pairList, pairSubjects, sns } from './family.ts';

export const snsFriendDelete = sns.after('Sns.CallbackFriendDelete', {
  summary: 'Friends were removed',
  sources: [en(34360)],
  fields: { PairList: pairList() },
  subjects: pairSubjects('friend'),
  example: { CallbackCommand: 'Sns.CallbackFriendDelete', PairList: [{ From_Account: 'id', To_Account: 'id1' }] },
});
