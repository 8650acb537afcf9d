import { en, pairList, pairSubjects, sns } from './family.ts';

/** `From_Account` is the user who blocked `To_Account`. */
export const snsBlackListAdd = sns.after('Sns.CallbackBlackListAdd', {
  summary: 'Users were added to a blocklist',
  sources: [en(34361)],
  fields: { PairList: pairList() },
  subjects: pairSubjects('blocked'),
  example: { CallbackCommand: 'Sns.CallbackBlackListAdd', PairList: [{ From_Account: 'id', To_Account: 'id1' }] },
});
