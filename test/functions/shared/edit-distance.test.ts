import { describe, expect, test } from '@jest/globals';
import { editDistance, nearestName } from '../../../functions/shared/edit-distance.ts';

const names = ['Group.CallbackAfterCreateGroup', 'Group.CallbackBeforeSendMsg', 'Group.CallbackAfterSendMsg', 'C2C.CallbackAfterSendMsg'];

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['Group.CallbackAfterCreatGroup', 'Group.CallbackAfterCreateGroup', 1],
  ])('%s to %s: %s', (a, b, distance) => {
    expect([editDistance(a, b), editDistance(b, a)]).toEqual([distance, distance]);
  });
});

describe('nearestName', () => {
  test.each([
    ['a letter left out', 'Group.CallbackAfterCreatGroup', 'Group.CallbackAfterCreateGroup'],
    ['another case', 'group.callbackaftercreategroup', 'Group.CallbackAfterCreateGroup'],
    ['a word spelled out, 4 edits in 31 characters', 'Group.CallbackBeforeSendMessage', 'Group.CallbackBeforeSendMsg'],
    ['the first of equally near names', 'Group.CallbackAfterSendMs', 'Group.CallbackAfterSendMsg'],
  ])('%s: %s is nearest %s', (_case, word, nearest) => {
    expect(nearestName(word, names)).toBe(nearest);
  });

  test.each([
    ['one of the names', 'Group.CallbackAfterSendMsg'],
    ['a command of another family', 'Wallet.CallbackAfterPay'],
    ['a long word, further from every name in length alone than a near name may be', `Group.CallbackAfterCreateGroup${'x'.repeat(90)}`],
    ['nothing', ''],
  ])('%s: none', (_case, word) => {
    expect(nearestName(word, names)).toBeUndefined();
  });
});
