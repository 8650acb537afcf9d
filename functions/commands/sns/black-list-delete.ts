import { pairList, pairSubjects, sns } from './family.ts';

export const snsBlackListDelete = sns.after('Sns.CallbackBlackListDelete', {
  summary: 'Users were removed from a blocklist',
  sources: ['intl.cloud.tencent.com/document/product/1047/34362', 'trtc.io/ko/document/34362'],
  fields: { PairList: pairList() },
  subjects: pairSubjects('blocked'),
  example: { CallbackCommand: 'Sns.CallbackBlackListDelete', PairList: [{ From_Account: 'id', To_Account: 'id1' }] },
});
