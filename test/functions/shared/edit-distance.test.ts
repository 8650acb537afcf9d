import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { editDistance, nearestName } from '../../../functions/shared/edit-distance.ts';
import { propertyParameters } from '../../support/seed.ts';

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

/** The whole table, as the textbook writes it: what the rows that stop early must agree with. */
function fullTable(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return table[a.length]![b.length]!;
}

/** nearestName by the full table of every name: the nearest within reach, the first of equals. */
function nearestByFullTables(word: string, names: readonly string[]): string | undefined {
  if (names.includes(word)) return undefined;
  const near = Math.max(2, Math.floor(word.length / 5));
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = fullTable(word.toLowerCase(), name.toLowerCase());
    if (distance <= near && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

test('stopping a table early changes no answer: the distance and the nearest name agree with full tables', () => {
  // Few letters, so that words are often near each other.
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'B', 'c', '.'), maxLength: 14 });
  fc.assert(
    fc.property(word, word, fc.array(word, { maxLength: 6 }), (a, b, names) => {
      expect(editDistance(a, b)).toBe(fullTable(a, b));
      expect(nearestName(a, names)).toBe(nearestByFullTables(a, names));
    }),
    propertyParameters('edit distance against full tables', { numRuns: 500 }),
  );
});
