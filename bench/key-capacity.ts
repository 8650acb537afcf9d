import { formatKeyLoads, HEADROOM_SHARE, keyLoads, keyModel, PARTITION_WRITES_PER_SECOND, trafficMix } from './capacity-model.ts';
import type { Row } from './report.ts';
import { eventCost, ON_DEMAND_PRICE, perMillion } from './write-cost.ts';

/**
 * The events table's key design under issue 12's traffic mix (bench/capacity-model.ts):
 * computed, not timed, so it is the same on any machine. Its rows join the bench's table; `--only
 * keys` runs it alone and refreshes just these rows of results.json.
 */
export function measureKeyCapacity() {
  const { loads, derived } = keyModel();
  // The first design's keys take the same every second: two tell its rates.
  const legacy = keyLoads({ legacy: true, seconds: 2 });
  const cost = eventCost();
  const ceiling = PARTITION_WRITES_PER_SECOND * HEADROOM_SHARE;
  // Each key of the current design against the first design's hottest index key (the whole room on one key).
  const firstHottest = legacy.filter((entry) => entry.where !== 'table').reduce((top, entry) => (entry.hottestPerSecond > top.hottestPerSecond ? entry : top));
  const rows: Row[] = loads.map((load) => ({
    metric: `keys: hottest ${load.where} key, vs the first design's hottest (${firstHottest.where})`,
    unit: 'writes/s',
    real: load.hottestPerSecond,
    floor: firstHottest.hottestPerSecond,
    ratio: load.hottestPerSecond / firstHottest.hottestPerSecond,
    target: `≤ ${ceiling}/s`,
    met: load.hottestPerSecond <= ceiling,
  }));
  if (derived !== undefined) {
    rows.push({
      metric: "keys: the indexer's write units per event (digests, pointers; off the callback path), vs the callback's",
      unit: 'units',
      real: derived.writeUnitsPerEvent,
      floor: cost.now.writeUnits,
      ratio: derived.writeUnitsPerEvent / cost.now.writeUnits,
    });
  }
  rows.push({
    metric: 'keys: write units on the callback path, 1 KB message, vs second design',
    unit: 'units',
    real: cost.now.writeUnits,
    floor: cost.before.writeUnits,
    ratio: cost.now.writeUnits / cost.before.writeUnits,
  });
  const perSecond = trafficMix.reduce((sum, stream) => sum + stream.perSecond, 0);
  const now = perMillion(cost.now);
  const before = perMillion(cost.before);
  const text = [
    formatKeyLoads(loads, legacy),
    `Mix: ${trafficMix.map((stream) => `${stream.name} ${stream.perSecond.toLocaleString('en-US')}/s`).join(', ')} (${perSecond.toLocaleString('en-US')}/s).`,
    `The indexer, over the mix's first events: ${derived?.digests ?? 0} digest items and ${derived?.pointers ?? 0} pointers for ${derived?.events ?? 0} events, ${(derived?.writeUnitsPerEvent ?? 0).toFixed(3)} write units an event.`,
    `A million 1 KB messages (callback path; the indexer's units above come on top, off it): ${now.writeUnits.toLocaleString('en-US')} write units ($${now.writeDollars.toFixed(2)}), ${now.storedGb.toFixed(2)} GB ($${now.storageDollarsPerMonth.toFixed(2)}/month); ` +
      `second design (deployed today) ${before.writeUnits.toLocaleString('en-US')} ($${before.writeDollars.toFixed(2)}), ${before.storedGb.toFixed(2)} GB ($${before.storageDollarsPerMonth.toFixed(2)}/month). Prices: ${ON_DEMAND_PRICE.source}.`,
  ].join('\n');
  return { rows, text, loads, legacy, derived, cost };
}
