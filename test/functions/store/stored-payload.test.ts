import { describe, expect, test } from '@jest/globals';
import { bodyFits, MAX_STORED_BODY_BYTES } from '../../../functions/store/stored-payload.ts';

describe('bodyFits', () => {
  // A group id of 195,000 bytes (a hostile one, the hostile-input oracle's seed 783229838): the item writes it
  // once, as its group, though the event's groupIds name it too.
  const groupId = '话'.repeat(65_000);
  const body = JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: groupId });

  test('counts each group once: the event’s own group is also in groupIds', () => {
    expect(bodyFits(body, { groupId, groupIds: [groupId] })).toBe(true);
  });

  test('refuses what cannot fit beside its ids even compressed', () => {
    const other = 'x'.repeat(MAX_STORED_BODY_BYTES);
    expect(bodyFits(body, { groupId, groupIds: [groupId, other] })).toBe(false);
  });
});
