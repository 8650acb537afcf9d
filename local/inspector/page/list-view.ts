import type { InspectedCallback } from '../inspector-types.ts';
import { clock, el, outcomeClass } from './dom.ts';
import { checkOf, checkTitle, commandOf, eventIdOf, outcomeOf, subjectsOf } from './model.ts';

/** One row of the live list; the data-* attributes are the tests' contract (docs/local.md#inspector, issue 13). */
function row(callback: InspectedCallback, selected: boolean, select: (id: string) => void, inTableLater: boolean): HTMLTableRowElement {
  const outcome = outcomeOf(callback);
  const command = commandOf(callback);
  const eventId = eventIdOf(callback);
  const tags = [
    ...(callback.origin ? [el('span', { class: 'tag', text: callback.origin.startsWith('replay') ? 'replay' : callback.origin })] : []),
    ...(callback.source === 'stored' ? [el('span', { class: 'tag', text: 'from the table' })] : []),
    ...(inTableLater ? [el('span', { class: 'tag', text: 'in the table now' })] : []),
  ];
  // An unknown command or an invalid body is marked (a class, the legend under the list, a tooltip).
  const check = checkOf(callback);
  const title = checkTitle(callback);
  const tr = el(
    'tr',
    {
      testid: 'callback-row',
      class: [selected ? 'selected' : '', check === undefined ? '' : `check-${check}`].filter(Boolean).join(' '),
      data: { id: callback.id, command: command ?? '', outcome, eventId, check },
      attrs: { tabindex: '0', ...(title === undefined ? {} : { title }) },
    },
    [
      el('td', { class: 'mono', text: clock(callback.at) }),
      el('td', { text: callback.source === 'live' ? String(callback.record.status) : '' }),
      el('td', {}, [el('span', { class: `badge ${outcomeClass(outcome)}`, text: outcome })]),
      el('td', { class: 'mono' }, [document.createTextNode(command ?? '-'), ...tags]),
      el('td', { class: 'num', text: callback.source === 'live' ? String(callback.record.durationMs) : '' }),
      el('td', { class: 'mono clip', text: subjectsOf(callback)[0] ?? '' }),
      el('td', { class: 'mono', text: eventId?.slice(0, 12) ?? '' }),
    ],
  );
  tr.addEventListener('click', () => select(callback.id));
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') select(callback.id);
  });
  return tr;
}

export function renderList(
  body: HTMLElement,
  callbacks: readonly InspectedCallback[],
  selectedId: string | undefined,
  select: (id: string) => void,
  inTableLater: (callback: InspectedCallback) => boolean,
): void {
  body.replaceChildren(...callbacks.map((callback) => row(callback, callback.id === selectedId, select, inTableLater(callback))));
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
