import type { Delivery } from '../forward-deliveries.ts';
import type { InspectedCallback, InspectorInfo, SendResult } from '../inspector-types.ts';
import { routes } from '../routes.ts';
import { getJson, postJson } from './api.ts';
import { clock, el, outcomeClass, pretty } from './dom.ts';
import { commandOf, eventIdOf, type Mark, marksOf, outcomeOf } from './model.ts';

/** What each mark means, as the detail pane says it. */
const markMeaning: Record<Mark, string> = {
  invalid: 'invalid: the body failed its command’s schema (stored all the same)',
  unregistered: 'unregistered: a command this receiver has no definition for (stored as received)',
  probe: 'probe: no command, or no route: not a callback from Tencent',
};

import type { EditAsSample } from './samples.ts';

const section = (title: string, ...content: Node[]) => el('section', { class: 'part' }, [el('h3', { text: title }), ...content]);
const pre = (text: string, testid?: string) => el('pre', { text, ...(testid ? { testid } : {}) });
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function table(pairs: readonly (readonly [string, unknown])[]): HTMLTableElement {
  return el(
    'table',
    { class: 'pairs' },
    pairs.map(([name, value]) => el('tr', {}, [el('th', { text: name }), el('td', { class: 'mono', text: asText(value) })])),
  );
}

/** The policy rules a record points at: `rule`, one or (for decisions several rules made) a list. */
function rulesOf(callback: InspectedCallback): readonly number[] {
  if (callback.source !== 'live' || callback.record.rule === undefined) return [];
  const { rule } = callback.record;
  return typeof rule === 'number' ? [rule] : rule;
}

/** What Tencent was told, in a line: `ErrorCode 10101: name not allowed`. */
function tencentAnswer(callback: InspectedCallback): string | undefined {
  try {
    const { ErrorCode, ErrorInfo } = JSON.parse(callback.answer?.body ?? '') as { ErrorCode?: unknown; ErrorInfo?: unknown };
    if (typeof ErrorCode !== 'number') return undefined;
    return `Answered ErrorCode ${ErrorCode}${typeof ErrorInfo === 'string' && ErrorInfo !== '' ? `: ${ErrorInfo}` : ''}`;
  } catch {
    return undefined;
  }
}

/** What was decided and why, from whichever of these fields the record has. */
function decision(callback: InspectedCallback, info: InspectorInfo): Node {
  // Shown as they are, whichever the record has: a live record has no `problems`, a stored event no `code`.
  const record: Readonly<Record<string, unknown>> = callback.record;
  const shown = ['outcome', 'code', 'reason', 'rule', 'changed', 'penalty', 'shadow', 'shadowSkipped', 'counterMisses', 'valid', 'problems'].filter(
    (name) => record[name] !== undefined,
  );
  const parts: Node[] = [table(shown.map((name) => [name, record[name]]))];
  const answered = tencentAnswer(callback);
  if (answered !== undefined) parts.push(el('p', { text: answered }));
  // The record names the rules by id with their bodies, as they were when they decided.
  const matched = callback.source === 'live' ? callback.record.matched : undefined;
  for (const { id, rule } of matched ?? []) {
    parts.push(el('p', { class: 'muted', text: `Policy rule ${id}:` }), pre(JSON.stringify(rule, null, 2), 'matched-rule'));
  }
  for (const index of matched === undefined ? rulesOf(callback) : []) {
    const rule = info.policyRules[index];
    parts.push(
      el('p', { class: 'muted', text: `Policy rule #${index}:` }),
      pre(rule === undefined ? '(not in the current policy)' : JSON.stringify(rule, null, 2)),
    );
  }
  if (callback.record.kind === 'before' && rulesOf(callback).length === 0 && outcomeOf(callback) === 'allowed') {
    parts.push(el('p', { class: 'muted', text: 'No rule refused it: allowed by default.' }));
  }
  return section('Decision', ...parts);
}

/** The synced state of the callback's group or user, when a provider is wired (docs/local.md#inspector). */
function state(callback: InspectedCallback, info: InspectorInfo): Node[] {
  if (!info.stateProvider) return [];
  const subjects = (
    [
      ['group', callback.record.groupId],
      ['user', callback.record.user],
    ] as const
  ).filter(([, id]) => id !== undefined);
  return subjects.map(([kind, id]) => {
    const box = pre('loading…');
    getJson<{ state: unknown }>(`${routes.state}?${new URLSearchParams({ kind, id: id! })}`).then(
      ({ state: found }) => (box.textContent = found === null ? `no synced state for this ${kind}` : JSON.stringify(found, null, 2)),
      (error: Error) => (box.textContent = error.message),
    );
    return section(`Synced state of ${kind} ${id}`, box);
  });
}

/** What the detail pane needs from the rest of the page. */
export interface DetailContext {
  readonly info: InspectorInfo;
  readonly editAsSample: EditAsSample;
}

/** The request as it came over the wire, for whoever wants to see it whole or paste it elsewhere. */
export function rawRequest(callback: InspectedCallback): string {
  const query = new URLSearchParams(callback.query.map(([name, value]): [string, string] => [name, value])).toString();
  const headers =
    callback.source === 'live'
      ? callback.headers.map(([name, value]) => `${name}: ${value}`)
      : callback.source === 'stored'
        ? ['(headers are not stored with an event: this one was read back from the table)']
        : ['(headers are not on the bus: this is the request that would send its body to the local callback route)'];
  return `${callback.method} ${callback.path}${query === '' ? '' : `?${query}`} HTTP/1.1\n${headers.join('\n')}\n\n${callback.body}${callback.bodyClipped ? '\n…(cut short)' : ''}`;
}

/** What the fields of a row's record are, by where the row came from. */
const recordTitle: Record<InspectedCallback['source'], string> = { live: 'Record', stored: 'Stored attributes', deployed: 'Event detail (from the bus)' };

const when = (at: number | undefined) => (at === undefined ? '' : clock(at));

/** Where the stored event went on (IM_FORWARD_URL): each target's state, tries and last answer. */
function forwarding(callback: InspectedCallback, info: InspectorInfo): Node[] {
  const eventId = eventIdOf(callback);
  // The deployed stack's rules take its events on (docs/construct.md): npm start's forwarder never sees them.
  if (eventId === undefined || callback.source === 'deployed') return [];
  if (info.forwardUrl === undefined)
    return [section('Forwarded', el('p', { class: 'muted', text: 'Forwarding is off: set IM_FORWARD_URL to POST each stored event.' }))];
  const box = el('div', { testid: 'deliveries' }, [el('p', { class: 'muted', text: 'loading…' })]);
  getJson<{ deliveries: readonly Delivery[] }>(`${routes.deliveries}?${new URLSearchParams({ eventId })}`).then(
    ({ deliveries }) =>
      box.replaceChildren(
        deliveries.length === 0
          ? el('p', { class: 'muted', text: `Not tried yet: waiting its turn for ${info.forwardUrl}.` })
          : el(
              'table',
              { class: 'pairs' },
              deliveries.flatMap((delivery) => [
                el('tr', {}, [el('th', { text: 'target' }), el('td', { class: 'mono', text: delivery.target })]),
                el('tr', {}, [el('th', { text: 'state' }), el('td', { text: delivery.state, testid: 'delivery-state' })]),
                el('tr', {}, [el('th', { text: 'attempts' }), el('td', { text: String(delivery.attempts) })]),
                el('tr', {}, [
                  el('th', { text: 'last answer' }),
                  el('td', { class: 'mono', text: `${delivery.lastResult} at ${when(delivery.lastAttemptAt)}` }),
                ]),
                el('tr', {}, [
                  el('th', { text: 'delivered' }),
                  el('td', { text: delivery.deliveredAt === undefined ? 'not yet' : when(delivery.deliveredAt) }),
                ]),
              ]),
            ),
      ),
    (error: Error) => box.replaceChildren(el('p', { class: 'muted', text: error.message })),
  );
  return [section('Forwarded', box)];
}

function actions(callback: InspectedCallback, { info, editAsSample }: DetailContext): Node {
  const result = el('span', { class: 'muted' });
  const replay = el('button', { text: 'Replay', testid: 'replay', attrs: { type: 'button' } });
  replay.disabled = !callback.replayable;
  const notReplayable = callback.cut === undefined ? 'Not replayable: the body was too large to keep' : `Not replayable: ${callback.cut}`;
  const replays = callback.source === 'deployed' ? 'Send its body to the local callback route, as Tencent would' : 'Send the same request again';
  replay.title = callback.replayable ? `${replays}, signed when a token is set` : notReplayable;
  replay.addEventListener('click', async () => {
    replay.disabled = true;
    result.textContent = 'sending…';
    try {
      const sent = await postJson<SendResult>(routes.replay, { id: callback.id });
      result.textContent = `replayed: HTTP ${sent.status} ${sent.answer}`;
    } catch (error) {
      result.textContent = `replay failed: ${(error as Error).message}`;
    } finally {
      replay.disabled = false;
    }
  });
  const curlBox = el('details', {}, [el('summary', { text: 'curl' }), pre(callback.curl)]);
  const copy = el('button', { text: 'Copy as curl', testid: 'copy-curl', attrs: { type: 'button' } });
  copy.addEventListener('click', async () => {
    curlBox.open = true;
    try {
      await navigator.clipboard.writeText(callback.curl);
      result.textContent = 'curl copied';
    } catch {
      result.textContent = 'select the curl below and copy it';
    }
  });
  const edit = el('button', { text: 'Edit as a sample', attrs: { type: 'button' } });
  const command = commandOf(callback);
  // Samples are sent for registry commands only (the picker has no others), and with a whole body.
  edit.disabled = command === undefined || !info.commands.some((known) => known.command === command) || callback.cut !== undefined;
  edit.addEventListener('click', () => editAsSample(command!, callback.body));
  const note = callback.replayable ? [] : [el('p', { class: 'muted', text: notReplayable, testid: 'not-replayable' })];
  return el('div', {}, [el('div', { class: 'row' }, [replay, copy, edit, result]), ...note, curlBox]);
}

/** Of a body cut short, the title says how much came, and whether only its start was kept. */
function bodyTitle(callback: InspectedCallback): string {
  if (callback.cut !== undefined) return `Body (only its start was kept, of ${callback.bodyBytes} bytes)`;
  return callback.bodyClipped ? `Body (cut short, of ${callback.bodyBytes} bytes)` : 'Body';
}

export function renderDetail(pane: HTMLElement, callback: InspectedCallback | undefined, context: DetailContext): void {
  const { info } = context;
  if (callback === undefined) {
    pane.replaceChildren(el('p', { class: 'muted', text: 'Select a callback to see its request, answer and record.' }));
    return;
  }
  const outcome = outcomeOf(callback);
  const eventId = eventIdOf(callback);
  const heading = el('h2', {}, [
    el('span', { class: 'mono', text: commandOf(callback) ?? '(no command)' }),
    el('span', { class: `badge ${outcomeClass(outcome)}`, text: outcome }),
  ]);
  const arrived = el('p', {
    class: 'muted',
    text: `${clock(callback.at)} · ${callback.method} ${callback.path}${callback.origin ? ` · ${callback.origin}` : ''}${callback.source === 'stored' ? ' · read back from the events table' : ''}${callback.source === 'live' && callback.earlier ? ' · answered by an earlier npm start' : ''}`,
  });
  const deployed =
    callback.source === 'deployed'
      ? [
          el('p', {
            class: 'deployed-note',
            testid: 'detail-deployed',
            text: `Deployed: received by the stack in ${callback.record.region}${callback.record.account === undefined ? '' : ` (account ${callback.record.account})`}, published on its bus at ${callback.record.time} and brought here by npx tencent-im listen. Not in the local table.`,
          }),
        ]
      : [];
  const marks = marksOf(callback);
  pane.replaceChildren(
    heading,
    arrived,
    ...deployed,
    ...(marks.length === 0
      ? []
      : [
          el(
            'p',
            { class: 'marks', testid: 'detail-marks' },
            marks.map((mark) => el('span', { class: `tag mark-${mark}`, text: markMeaning[mark] })),
          ),
        ]),
    actions(callback, context),
    decision(callback, info),
    section(
      callback.source === 'deployed' ? "Stored event (the deployed stack's table)" : 'Stored event',
      el('p', { class: 'mono', text: eventId === undefined ? 'none (not stored)' : eventId }),
    ),
    ...forwarding(callback, info),
    section(callback.source === 'deployed' ? 'Query (of a replay to the local route)' : 'Query (Sign redacted)', table(callback.query)),
    ...(callback.source === 'live' ? [section('Request headers', table(callback.headers))] : []),
    section(bodyTitle(callback), pre(pretty(callback.body), 'detail-body')),
    el('details', { class: 'raw' }, [el('summary', { text: 'Raw request', testid: 'raw-toggle' }), pre(rawRequest(callback), 'detail-raw')]),
    ...(callback.answer ? [section(`Answer: HTTP ${callback.answer.status}`, pre(pretty(callback.answer.body), 'detail-answer'))] : []),
    section(recordTitle[callback.source], table(Object.entries(callback.record))),
    ...state(callback, info),
  );
}
