import { formatKeyLoads, HEADROOM_SHARE, keyLoads, PARTITION_WRITES_PER_SECOND, trafficMix } from './capacity-model.ts';
import type { Row } from './report.ts';
import { eventCost, ON_DEMAND_PRICE, perMillion } from './write-cost.ts';

/**
 * The events table's key design under issue 12's traffic mix (bench/capacity-model.ts):
 * computed, not timed, so it is the same on any machine. Its rows join the bench's table; `--only
 * keys` runs it alone and refreshes just these rows of results.json.
 */
export function measureKeyCapacity() {
  const loads = keyLoads();
  const legacy = keyLoads({ legacy: true });
  const cost = eventCost();
  const ceiling = PARTITION_WRITES_PER_SECOND * HEADROOM_SHARE;
  const rows: Row[] = loads
    .filter((load) => load.where !== 'table')
    .map((load, i) => {
      const before = legacy.filter((entry) => entry.where !== 'table')[i]!;
      return {
        metric: `keys: hottest ${load.where} key, vs ${before.where}`,
        unit: 'writes/s',
        real: load.hottestPerSecond,
        floor: before.hottestPerSecond,
        ratio: load.hottestPerSecond / before.hottestPerSecond,
        target: `≤ ${ceiling}/s`,
        met: load.hottestPerSecond <= ceiling,
      };
    });
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
    `A million 1 KB messages (callback path; digests add ~0.06 units an event off it): ${now.writeUnits.toLocaleString('en-US')} write units ($${now.writeDollars.toFixed(2)}), ${now.storedGb.toFixed(2)} GB ($${now.storageDollarsPerMonth.toFixed(2)}/month); ` +
      `second design (deployed today) ${before.writeUnits.toLocaleString('en-US')} ($${before.writeDollars.toFixed(2)}), ${before.storedGb.toFixed(2)} GB ($${before.storageDollarsPerMonth.toFixed(2)}/month). Prices: ${ON_DEMAND_PRICE.source}.`,
  ].join('\n');
  return { rows, text, loads, legacy, cost };
}
