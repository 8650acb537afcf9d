import { describe, expect, test } from '@jest/globals';
import { inParallel } from '../../../functions/shared/in-parallel.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('inParallel', () => {
  test('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inParallel([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      most = Math.max(most, ++running);
      await tick();
      done.push(item);
      running -= 1;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  test('rejects with the first failure once the ones under way settle, and starts no more', async () => {
    const started: number[] = [];
    const work = inParallel([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await tick();
      if (item === 1) throw new Error('one failed');
    });
    await expect(work).rejects.toThrow('one failed');
    expect(started).toEqual([1, 2]);
  });
});
