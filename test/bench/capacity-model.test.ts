/**
 * The capacity model: issue 12's traffic mix through the real key functions, every partition key's
 * write rate asserted for the table and each index. `npm run bench` prints the same table.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { formatKeyLoads, HEADROOM_SHARE, keyLoads, PARTITION_WRITES_PER_SECOND, trafficMix } from '../../bench/capacity-model.ts';
import { eventCost, perMillion, sampleMessage } from '../../bench/write-cost.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import { shardOf } from '../../functions/store/legacy/legacy-keys.ts';
import { eventsTable } from '../../functions/store/legacy/legacy-table.ts';
import { testSeed } from '../support/seed.ts';

const SEED = testSeed('capacity model');

describe('the traffic mix (one room at 10,000/s, 1,000 small groups, C2C at 5,000/s, presence)', () => {
  const loads = keyLoads();
  const legacy = keyLoads({ legacy: true });
  console.log(`${formatKeyLoads(loads, legacy)}\n(seed ${SEED})`);

  test('adds up to 18,000 after-events a second', () => {
    expect(trafficMix.reduce((sum, stream) => sum + stream.perSecond, 0)).toBe(18_000);
  });

  test('the table and every index are measured', () => {
    expect(loads.map((load) => load.where)).toEqual(['table', ...Object.values(eventsTable.indexes).map((index) => index.indexName)]);
  });

  test.each(Object.values(eventsTable.indexes).map((index) => index.indexName))('no key of %s takes more than a tenth of its 1,000 writes/s', (indexName) => {
    const load = loads.find((entry) => entry.where === indexName)!;
    expect(load.hottestPerSecond).toBeLessThanOrEqual(PARTITION_WRITES_PER_SECOND * HEADROOM_SHARE);
    // Hashing is even on average, not every second: the busiest second still leaves 80% free.
    expect(load.peakInOneSecond).toBeLessThanOrEqual(PARTITION_WRITES_PER_SECOND * 0.2);
  });

  test('the table takes each key once: its key is the event id', () => {
    expect(loads[0]).toMatchObject({ where: 'table', keys: 180_000, peakInOneSecond: 1 });
  });

  test('the first design put the whole room on one key of each index: ten times what a key takes', () => {
    expect(legacy.find((load) => load.where === 'byGroup')!.hottestPerSecond).toBe(10_000);
    expect(legacy.find((load) => load.where === 'byCommand')!.hottestPerSecond).toBe(11_000);
  });
});

describe('the spread', () => {
  test('one account sending 5,000 one-to-one messages a second (a bot) is spread too', () => {
    const bot = keyLoads({ seconds: 4, mix: [{ name: 'a bot', command: 'C2C.CallbackAfterSendMsg', perSecond: 5_000, groups: 0, users: 1 }] });
    for (const load of bot.filter((entry) => entry.where !== 'table'))
      expect(load.hottestPerSecond).toBeLessThanOrEqual(PARTITION_WRITES_PER_SECOND * HEADROOM_SHARE);
  });

  test(`any subject's events spread evenly over its keys (seeded: TEST_SEED replays it)`, () => {
    const { shards } = eventsTable.indexes.bySubject;
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 1e9 }), (group, start) => {
        const perShard = new Array<number>(shards).fill(0);
        const events = shards * 40;
        for (let n = start; n < start + events; n += 1)
          perShard[shardOf(eventIdOf('1400000000', 'Group.CallbackAfterSendMsg', `${group}${n}`), 0, shards)]! += 1;
        // 40 expected per key; a key above 2.2 times that would be a broken hash, not bad luck.
        expect(Math.max(...perShard)).toBeLessThan(40 * 2.2);
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  test('a repeated delivery lands on the same keys', () => {
    const id = eventIdOf('1400000000', 'Group.CallbackAfterSendMsg', '{}');
    expect(shardOf(id, 0, 128)).toBe(shardOf(id, 0, 128));
    expect(shardOf(id, 1, 256)).toBe(shardOf(id, 1, 256));
  });
});

describe('what a 1 KB message costs', () => {
  const { now, before } = eventCost(sampleMessage(1_024));

  test('one write unit per index entry: the entries carry keys, not the body', () => {
    expect(now.indexWriteUnits).toBe(Object.keys(eventsTable.indexes).length);
  });

  test('4 write units instead of 6, and less than half the storage', () => {
    expect({ now: now.writeUnits, before: before.writeUnits }).toEqual({ now: 4, before: 6 });
    expect(now.storedBytes).toBeLessThan(before.storedBytes / 2);
    expect(perMillion(now).writeDollars).toBeCloseTo(2.5);
    expect(perMillion(before).writeDollars).toBeCloseTo(3.75);
  });
});
