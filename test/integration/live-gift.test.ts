/**
 * `Live.CallbackBeforeSendGift` answered from the policy, over HTTP into the local receiver, as any
 * before-callback is (docs/protocol.md#live-gift): refused by gift id, by value or by sender, with 1
 * or a code of 102100–102200 passed through to the client; allowed otherwise; never stored. A policy
 * asking the gift for another family's code is refused as it loads.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { commandDefinition } from '../../functions/commands/registry.ts';
import { post, startTestReceiver, storedEvents, type TestReceiver, testSettings } from '../support/receiver.ts';

const command = 'Live.CallbackBeforeSendGift';
const policy = {
  rules: [
    { command, field: 'GiftWater.GiftId', in: ['rocket'], refuse: { code: 102150, info: 'rockets are paused' } },
    // A gift of 10,000 coins or more each: the policy compares numbers as their decimal text.
    { command, field: 'GiftWater.Coins', pattern: '^[1-9][0-9]{4,}$', refuse: { code: 102101, info: 'too valuable' } },
    { command, field: 'GiftWater.From_Account', in: ['banned'], refuse: { code: 1, info: 'sender blocked' } },
  ],
};

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver({ settings: testSettings({ policy }) });
});
afterAll(() => receiver.close());

/** The page's example with some of its gift changed. */
const gift = (changes: Record<string, unknown>) => {
  const example = commandDefinition(command).example as { GiftWater: Record<string, unknown> };
  return JSON.stringify({ ...example, GiftWater: { ...example.GiftWater, ...changes } });
};

describe('a gift, decided by the policy', () => {
  test.each([
    ['the example', {}, 0, ''],
    ['a rocket', { GiftId: 'rocket' }, 102150, 'rockets are paused'],
    ['a gift of 10,000 coins', { Coins: 10000 }, 102101, 'too valuable'],
    ['a gift of 9,999 coins', { Coins: 9999 }, 0, ''],
    ['a gift from a blocked sender', { From_Account: 'banned' }, 1, 'sender blocked'],
  ])('%s is answered with its code', async (_case, changes, ErrorCode, ErrorInfo) => {
    const { status, answer } = await post(receiver, { command, body: gift(changes) });
    expect({ status, answer }).toEqual({ status: 200, answer: { ActionStatus: 'OK', ErrorCode, ErrorInfo } });
    expect(receiver.records.at(-1)).toMatchObject({ command, kind: 'before', outcome: ErrorCode === 0 ? 'allowed' : 'refused', status: 200 });
    expect((await storedEvents(receiver)).filter((event) => event.command === command)).toEqual([]);
  });
});

describe("a policy asking for an answer the gift's page does not document", () => {
  test.each([10101, 102099, 102201])('refuse code %s is refused as the policy loads', (code) => {
    const rule = { command, field: 'GiftWater.GiftId', in: ['rocket'], refuse: { code, info: 'no' } };
    expect(() => testSettings({ policy: { rules: [rule] } })).toThrow(/rules\.0\.refuse\.code/);
  });

  test('drop is refused as the policy loads: the page documents refusing, not dropping', () => {
    const rule = { command, field: 'GiftWater.GiftId', in: ['rocket'], drop: true };
    expect(() => testSettings({ policy: { rules: [rule] } })).toThrow(/rules\.0/);
  });
});
