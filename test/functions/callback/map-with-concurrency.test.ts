import { describe, expect, test } from '@jest/globals';
import { mapWithConcurrency } from '../../../functions/callback/map-with-concurrency.ts';

interface Call {
  readonly item: number;
  pending: boolean;
  finish(outcome: { value: string } | { error: Error }): void;
}

/** Calls that finish when the test says so, in any order. */
function controlled() {
  const calls: Call[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const map = (item: number) =>
    new Promise<string>((resolve, reject) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const call: Call = {
        item,
        pending: true,
        finish(outcome) {
          if (!call.pending) throw new Error(`item ${item} finished twice`);
          call.pending = false;
          inFlight--;
          if ('error' in outcome) reject(outcome.error);
          else resolve(outcome.value);
        },
      };
      calls.push(call);
    });
  return { calls, map, inFlight: () => inFlight, mostInFlight: () => mostInFlight };
}

/** Lets every finished call's continuation run. */
const settle = () => new Promise((done) => setImmediate(done));

describe('mapWithConcurrency', () => {
  test("keeps at most `concurrency` calls in flight, and gives the results in the items' order", async () => {
    const { calls, map, mostInFlight } = controlled();
    const result = mapWithConcurrency([0, 1, 2, 3, 4, 5, 6], 3, map);
    expect(calls.map((call) => call.item)).toEqual([0, 1, 2]);
    // Finished out of order: the next item starts as soon as any slot frees.
    calls[2]!.finish({ value: 'two' });
    await settle();
    expect(calls.map((call) => call.item)).toEqual([0, 1, 2, 3]);
    // The rest, the newest first.
    for (let pending = calls.filter((call) => call.pending); pending.length > 0; pending = calls.filter((call) => call.pending)) {
      const call = pending.at(-1)!;
      call.finish({ value: `item ${call.item}` });
      await settle();
    }
    expect(await result).toEqual(['item 0', 'item 1', 'two', 'item 3', 'item 4', 'item 5', 'item 6']);
    expect(calls).toHaveLength(7);
    expect(mostInFlight()).toBe(3);
  });

  test('after a failure starts nothing more, waits for the calls in flight, then throws that failure', async () => {
    const { calls, map, inFlight } = controlled();
    let settled = false;
    const result = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, map).finally(() => (settled = true));
    calls[0]!.finish({ error: new Error('the table is down') });
    await settle();
    // Item 1 is still being written: the failure is not reported while it is.
    expect({ started: calls.length, inFlight: inFlight(), settled }).toEqual({ started: 2, inFlight: 1, settled: false });
    calls[1]!.finish({ error: new Error('a second failure') });
    await expect(result).rejects.toThrow('the table is down');
    expect(calls).toHaveLength(2);
  });

  test('maps nothing to nothing, and takes a concurrency above the count', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
    expect(await mapWithConcurrency([1, 2], 16, async (item) => item * 10)).toEqual([10, 20]);
  });

  test.each([0, -1, 1.5, Number.NaN])('refuses a concurrency of %s up front', async (concurrency) => {
    await expect(mapWithConcurrency([1], concurrency, async (item) => item)).rejects.toThrow(/concurrency/);
  });
});
