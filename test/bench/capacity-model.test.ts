/**
 * The capacity model: issue 12's traffic mix through the real key functions and the real adaptive
 * decision (one ActorHeat per simulated receiver instance), every partition key's write rate asserted
 * for the table, `byActor` and the indexer's pointers and digests. `npm run bench` prints the same table.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { DERIVED_SAMPLE, formatKeyLoads, HEADROOM_SHARE, keyModel, PARTITION_WRITES_PER_SECOND, trafficMix } from '../../bench/capacity-model.ts';
import { eventCost, perMillion, sampleMessage } from '../../bench/write-cost.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import { shardOf } from '../../functions/store/event-keys.ts';
import { DIGEST_SPREAD, layouts } from '../../functions/store/events-table.ts';
import { testSeed } from '../support/seed.ts';

const SEED = testSeed('capacity model');
const CEILING = PARTITION_WRITES_PER_SECOND * HEADROOM_SHARE;

describe('the traffic mix (one room at 10,000/s, 1,000 small groups, C2C at 5,000/s, presence)', () => {
  // Four seconds of the mix (the bench runs ten): every key's rate is steady after the first.
  const { loads, widened, derived } = keyModel({ seconds: 4 });
  // The first design's keys are the same every second: two of them tell its rates.
  const legacy = keyModel({ legacy: true, seconds: 2 }).loads;
  console.log(`${formatKeyLoads(loads, legacy)}\n(seed ${SEED})`);

  test('adds up to 18,000 after-events a second', () => {
    expect(trafficMix.reduce((sum, stream) => sum + stream.perSecond, 0)).toBe(18_000);
  });

  test('the table, byActor and the indexer’s pointers and digests are measured', () => {
    expect(loads.map((load) => load.where)).toEqual(['table', 'byActor', 'pointers', 'digests']);
  });

  test.each(['table', 'byActor', 'digests'])('no key of %s takes more than a tenth of its 1,000 writes/s, nor a fifth in its busiest second', (where) => {
    const load = loads.find((entry) => entry.where === where)!;
    expect(load.hottestPerSecond).toBeLessThanOrEqual(CEILING);
    expect(load.peakInOneSecond).toBeLessThanOrEqual(PARTITION_WRITES_PER_SECOND * 0.2);
  });

  test('the live room is the hottest place, on its 128 wide keys; no person acts fast enough to be spread', () => {
    expect(loads[0]!.hottestKey).toMatch(/#g#@TGS#130#\d+$/);
    expect(widened).toEqual([]);
  });

  test('the indexer: the app’s and each command’s digests spread over their 16 keys, about 0.06 write units an event; no pointer, as each subject this mix names is its event’s place or actor', () => {
    expect(derived).toMatchObject({ events: DERIVED_SAMPLE, pointers: 0 });
    const digests = loads.find((load) => load.where === 'digests')!;
    // The app's list and each command's, DIGEST_SPREAD keys each, most of them written in the sample's 36 batches.
    const lists = 1 + new Set(trafficMix.map((stream) => stream.command)).size;
    expect(digests.keys).toBeGreaterThan((DIGEST_SPREAD * lists) / 2);
    expect(digests.keys).toBeLessThanOrEqual(DIGEST_SPREAD * lists);
    expect(derived!.writeUnitsPerEvent).toBeLessThanOrEqual(0.08);
  });

  test('the first design put the whole room on one key of each index: ten times what a key takes', () => {
    expect(legacy.find((load) => load.where === 'byGroup')!.hottestPerSecond).toBe(10_000);
    expect(legacy.find((load) => load.where === 'byCommand')!.hottestPerSecond).toBe(11_000);
  });
});

describe('the adaptive spread', () => {
  const bot = { name: 'a bot', command: 'C2C.CallbackAfterSendMsg', perSecond: 5_000, groups: 0, users: 1 };

  test('one account sending 5,000 one-to-one messages a second (a bot) is widened by the instances, alone or within the mix', () => {
    // byActor alone is asked about: the indexer is left out (derivedEvents 0), it costs time.
    const alone = keyModel({ seconds: 4, mix: [bot], derivedEvents: 0 });
    expect(alone.widened).toEqual(['user0']);
    const actor = alone.loads.find((load) => load.where === 'byActor')!;
    // Its first burst lands on its 4 narrow keys, under a fifth of the hard limit; then 64 wide keys.
    expect(actor.keys).toBe(layouts.a.narrow + layouts.a.wide);
    expect(actor.hottestPerSecond).toBeLessThanOrEqual(CEILING);
    expect(actor.peakInOneSecond).toBeLessThanOrEqual(PARTITION_WRITES_PER_SECOND * 0.2);
    const within = keyModel({ seconds: 2, mix: [...trafficMix, bot], derivedEvents: 0 });
    expect(within.widened).toEqual(['user0']);
    for (const load of within.loads) expect(load.hottestPerSecond).toBeLessThanOrEqual(CEILING);
  });

  test(`any subject's events spread evenly over its keys (seeded: TEST_SEED replays it)`, () => {
    const shards = layouts.g.wide;
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
});

describe('what a 1 KB message costs on the callback path', () => {
  const { now, before } = eventCost(sampleMessage(1_024));

  test('2 write units (the compressed item 1, its byActor entry 1) instead of the second design’s 4, and half the storage', () => {
    expect({ table: now.tableWriteUnits, index: now.indexWriteUnits }).toEqual({ table: 1, index: 1 });
    expect({ now: now.writeUnits, before: before.writeUnits }).toEqual({ now: 2, before: 4 });
    expect(now.storedBytes).toBeLessThan(before.storedBytes / 2);
    expect(perMillion(now).writeDollars).toBeCloseTo(1.25);
    expect(perMillion(before).writeDollars).toBeCloseTo(2.5);
  });
});
