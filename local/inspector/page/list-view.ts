import type { Delivery } from '../forward-deliveries.ts';
import type { InspectedCallback } from '../inspector-types.ts';
import { clock, el, outcomeClass } from './dom.ts';
import { commandOf, eventIdOf, marksOf, markTitle, outcomeOf, subjectsOf } from './model.ts';

/** A cell that shows what fits and the rest on hover: the columns keep their widths (inspector.css). */
const cell = (text: string, className = '') => el('td', { class: `fit ${className}`.trim(), text, attrs: text === '' ? {} : { title: text } });

/** The forward column: delivered, retrying, or nothing yet. */
function forwarded(deliveries: readonly Delivery[] | undefined): HTMLTableCellElement {
  const [delivery] = deliveries ?? [];
  if (delivery === undefined) return el('td', { class: 'fit' });
  const text = delivery.state === 'delivered' ? `✓ ${delivery.lastResult.replace(/^HTTP /, '')}` : `↻ ${delivery.attempts}×`;
  return el('td', {
    class: `fit fwd fwd-${delivery.state}`,
    text,
    testid: 'forwarded',
    attrs: { title: `${delivery.state}: ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}, last ${delivery.lastResult}` },
  });
}

export interface RowContext {
  readonly selectedId: string | undefined;
  readonly select: (id: string) => void;
  readonly inTableLater: (callback: InspectedCallback) => boolean;
  readonly deliveriesOf: (callback: InspectedCallback) => readonly Delivery[] | undefined;
}

/** One row of the live list; the data-* attributes are the tests' contract (docs/local.md#inspector, issue 13). */
function row(callback: InspectedCallback, context: RowContext): HTMLTableRowElement {
  const outcome = outcomeOf(callback);
  const command = commandOf(callback);
  const eventId = eventIdOf(callback);
  const marks = marksOf(callback);
  const tags = [
    ...marks.map((mark) => {
      const title = markTitle(callback, mark);
      return el('span', { class: `tag mark-${mark}`, text: mark, ...(title === undefined ? {} : { attrs: { title } }) });
    }),
    ...(callback.origin ? [el('span', { class: 'tag', text: callback.origin.startsWith('replay') ? 'replay' : callback.origin })] : []),
    ...(callback.source === 'live' && callback.earlier ? [el('span', { class: 'tag', text: 'earlier run' })] : []),
    ...(callback.source === 'stored' ? [el('span', { class: 'tag', text: 'from the table' })] : []),
    ...(callback.source === 'deployed'
      ? [
          el('span', {
            class: 'tag source-deployed',
            text: 'deployed',
            attrs: { title: `published by the deployed stack (${callback.record.region}), brought by listen` },
          }),
        ]
      : []),
    ...(context.inTableLater(callback) ? [el('span', { class: 'tag', text: 'in the table now' })] : []),
  ];
  const tr = el(
    'tr',
    {
      testid: 'callback-row',
      class: [callback.id === context.selectedId ? 'selected' : '', ...marks.map((mark) => `row-${mark}`)].join(' ').trim(),
      data: { id: callback.id, source: callback.source, command: command ?? '', outcome, eventId, marks: marks.join(' ') },
      attrs: { tabindex: '0' },
    },
    [
      cell(clock(callback.at), 'mono'),
      cell(callback.source === 'live' ? String(callback.record.status) : ''),
      el('td', { class: 'fit' }, [el('span', { class: `badge ${outcomeClass(outcome)}`, text: outcome })]),
      el('td', { class: 'mono', attrs: { title: command ?? '' } }, [
        el('div', { class: 'command' }, [el('span', { class: 'name', text: command ?? '-' }), ...tags]),
      ]),
      cell(callback.source === 'live' ? String(callback.record.durationMs) : '', 'num'),
      cell(subjectsOf(callback)[0] ?? '', 'mono'),
      cell(eventId?.slice(0, 12) ?? '', 'mono event'),
      forwarded(context.deliveriesOf(callback)),
    ],
  );
  tr.addEventListener('click', () => context.select(callback.id));
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') context.select(callback.id);
  });
  return tr;
}

export function renderList(body: HTMLElement, callbacks: readonly InspectedCallback[], context: RowContext): void {
  body.replaceChildren(...callbacks.map((callback) => row(callback, context)));
}

/** The filter's choices: what the registry knows plus whatever else has arrived, kept as chosen. */
export function renderOptions(select: HTMLSelectElement, values: Iterable<string>): void {
  const chosen = select.value;
  const sorted = [...new Set(values)].sort();
  // Rebuilt only when the choices change, so an open drop-down is not closed under the user.
  const key = sorted.join('\n');
  if (select.dataset.choices === key) return;
  select.dataset.choices = key;
  select.replaceChildren(el('option', { text: 'all', attrs: { value: '' } }), ...sorted.map((value) => el('option', { text: value, attrs: { value } })));
  select.value = sorted.includes(chosen) ? chosen : '';
}
