import { describe, expect, test } from '@jest/globals';
import { ThrottledBatchError, untilProcessed } from '../../../functions/shared/until-processed.ts';

describe('untilProcessed', () => {
  test('sends again only what was left unprocessed, until nothing is', async () => {
    const sent: string[][] = [];
    await untilProcessed(
      ['a', 'b', 'c', 'd'],
      async (pending) => {
        sent.push([...pending]);
        // As a throttled table does: the first of what was sent is done, the rest comes back.
        return pending.slice(1);
      },
      (count) => `${count} letters could not be sent`,
    );
    expect(sent).toEqual([['a', 'b', 'c', 'd'], ['b', 'c', 'd'], ['c', 'd'], ['d']]);
  });

  test('makes no call for nothing', async () => {
    let calls = 0;
    await untilProcessed(
      [],
      async () => {
        calls += 1;
        return [];
      },
      String,
    );
    expect(calls).toBe(0);
  });

  test('gives up after its tries with a ThrottledBatchError that says what was left', async () => {
    let calls = 0;
    const throttled = untilProcessed(
      [1, 2, 3],
      async (pending) => {
        calls += 1;
        return pending;
      },
      (count) => `${count} items could not be read`,
      { attempts: 3 },
    );
    await expect(throttled).rejects.toThrow(new ThrottledBatchError('3 items could not be read after 3 tries: the table is throttling'));
    await expect(throttled).rejects.toHaveProperty('name', 'ThrottledBatchError');
    expect(calls).toBe(3);
  });

  test.each([0, -1, 2.5, Number.NaN])('refuses %s tries before it sends anything', async (attempts) => {
    let calls = 0;
    const counted = async (pending: readonly number[]) => {
      calls += 1;
      return pending.slice(1);
    };
    await expect(untilProcessed([1], counted, String, { attempts })).rejects.toThrow(
      new RangeError(`untilProcessed: attempts must be a whole number of at least 1, not ${attempts}`),
    );
    expect(calls).toBe(0);
  });
});
