import type { InspectedCallback } from '../inspector-types.ts';
import { el, outcomeClass, svg } from './dom.ts';
import { outcomeOf } from './model.ts';

const MINUTES = 30;
const WIDTH = 900;
const HEIGHT = 120;
const AXIS = 18;

/**
 * Callbacks per minute over the last half hour, stacked by outcome: a few SVG rectangles drawn with
 * the DOM (no chart library, no inline style: the colours come from the style sheet's outcome classes).
 */
export function renderChart(box: HTMLElement, legend: HTMLElement, callbacks: readonly InspectedCallback[], now = Date.now()): void {
  const end = Math.floor(now / 60_000) + 1;
  const start = end - MINUTES;
  const buckets = Array.from({ length: MINUTES }, () => new Map<string, number>());
  for (const callback of callbacks) {
    const minute = Math.floor(callback.at / 60_000);
    if (minute < start || minute >= end) continue;
    const bucket = buckets[minute - start]!;
    const outcome = outcomeOf(callback);
    bucket.set(outcome, (bucket.get(outcome) ?? 0) + 1);
  }
  const outcomes = [...new Set(buckets.flatMap((bucket) => [...bucket.keys()]))].sort();
  const highest = Math.max(1, ...buckets.map((bucket) => [...bucket.values()].reduce((sum, count) => sum + count, 0)));
  const barWidth = WIDTH / MINUTES;
  const plot = HEIGHT - AXIS;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': 'callbacks per minute by outcome' });
  chart.append(svg('line', { x1: 0, y1: plot, x2: WIDTH, y2: plot, class: 'axis' }));
  buckets.forEach((bucket, index) => {
    let top = plot;
    for (const outcome of outcomes) {
      const count = bucket.get(outcome) ?? 0;
      if (count === 0) continue;
      const height = (count / highest) * (plot - 14);
      top -= height;
      const bar = svg('rect', { x: index * barWidth + 1, y: top, width: barWidth - 2, height, class: `bar ${outcomeClass(outcome)}` });
      bar.append(svg('title', {}, `${count} ${outcome}, ${MINUTES - index - 1} min ago`));
      chart.append(bar);
    }
  });
  chart.append(svg('text', { x: 2, y: 10, class: 'label' }, `${highest}/min`));
  chart.append(svg('text', { x: 2, y: HEIGHT - 4, class: 'label' }, `−${MINUTES} min`));
  chart.append(svg('text', { x: WIDTH - 2, y: HEIGHT - 4, class: 'label end' }, 'now'));
  box.replaceChildren(chart);
  legend.replaceChildren(
    ...outcomes.map((outcome) => el('span', { class: 'key' }, [el('span', { class: `swatch ${outcomeClass(outcome)}` }), document.createTextNode(outcome)])),
  );
}
