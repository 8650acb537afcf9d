/**
 * The inspector's page: the live list, its filters, the detail pane, the chart and the sample
 * sender. Bundled by esbuild (page-assets.ts); it talks only to its own origin.
 */
import type { DeliveryNews, InspectedCallback, InspectorInfo } from '../inspector-types.ts';
import { liveEvents, routes } from '../routes.ts';
import { getJson, refreshToken } from './api.ts';
import { renderChart } from './chart.ts';
import { renderDetail } from './detail-view.ts';
import { byId } from './dom.ts';
import { download } from './export.ts';
import { renderList, renderOptions } from './list-view.ts';
import { CallbackModel, type Filter } from './model.ts';
import { type EditAsSample, setUpSamples } from './samples.ts';

const model = new CallbackModel();
const rows = byId('rows');
const detail = byId('detail');
const filters = {
  command: byId<HTMLSelectElement>('filter-command'),
  outcome: byId<HTMLSelectElement>('filter-outcome'),
  subject: byId<HTMLInputElement>('filter-subject'),
  text: byId<HTMLInputElement>('filter-text'),
};
const connection = byId('connection');
let info: InspectorInfo = { commands: [], tokenSet: false, stateProvider: false, policyRules: [], sdkAppIds: [] };
let editAsSample: EditAsSample = () => undefined;
let selected: string | undefined;
let scheduled = false;

const filter = (): Filter => ({ command: filters.command.value, outcome: filters.outcome.value, subject: filters.subject.value, text: filters.text.value });

function select(id: string) {
  selected = id;
  renderDetail(detail, model.get(id), { info, editAsSample });
  render();
}

/** Many callbacks in a burst are drawn once, at the next frame. */
function render() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    const shown = model.matching(filter());
    renderList(rows, shown, {
      selectedId: selected,
      select,
      inTableLater: (callback) => model.reachedTableLater(callback),
      deliveriesOf: (callback) => model.deliveriesOf(callback),
    });
    byId('empty').hidden = model.size > 0;
    byId('counts').textContent = `${model.size} callbacks`;
    byId('shown').textContent = shown.length === model.size ? '' : `${shown.length} shown`;
    renderOptions(filters.command, [...info.commands.map((command) => command.command), ...model.commands]);
    renderOptions(filters.outcome, model.outcomes);
    renderChart(byId('chart'), byId('legend'), model.all());
  });
}

model.onChange(render);
for (const control of Object.values(filters)) control.addEventListener('input', render);
byId('export-jsonl').addEventListener('click', () => download('jsonl', model.matching(filter())));
byId('export-har').addEventListener('click', () => download('har', model.matching(filter())));

/** What the table holds from before this page (and this process) opened. */
function loadStored() {
  getJson<InspectedCallback[]>(routes.stored).then(
    (stored) => {
      for (const callback of stored) model.add(callback);
    },
    (error: Error) => (byId('counts').textContent = `stored events not shown: ${error.message}`),
  );
}

function connect() {
  const stream = new EventSource(routes.live);
  const take = (message: MessageEvent<string>) => model.add(JSON.parse(message.data) as InspectedCallback);
  stream.addEventListener(liveEvents.callback, take);
  stream.addEventListener(liveEvents.stored, take);
  // A deployed receiver's, brought by `npx tencent-im listen --inspector`: shown, never kept by the server.
  stream.addEventListener(liveEvents.deployed, take);
  stream.addEventListener(liveEvents.delivery, (message: MessageEvent<string>) => {
    const { eventId, deliveries } = JSON.parse(message.data) as DeliveryNews;
    model.setDeliveries(eventId, deliveries);
  });
  let lost = false;
  stream.addEventListener('open', async () => {
    // Back after npm start restarted: a new process, with a new token and maybe new settings. The
    // page takes them before it says "live", so Send and Replay work without a reload.
    if (lost) {
      try {
        await refreshToken();
        info = await getJson<InspectorInfo>(routes.info);
        loadStored();
      } catch {
        return;
      }
    }
    lost = false;
    connection.textContent = 'live';
    connection.className = 'connection live';
  });
  stream.addEventListener('error', () => {
    lost = true;
    connection.textContent = 'reconnecting…';
    connection.className = 'connection';
  });
}

async function start() {
  info = await getJson<InspectorInfo>(routes.info);
  editAsSample = setUpSamples(info, {
    picker: byId<HTMLSelectElement>('sample-command'),
    summary: byId('sample-summary'),
    body: byId<HTMLTextAreaElement>('sample-body'),
    send: byId<HTMLButtonElement>('send-sample'),
    now: byId<HTMLInputElement>('sample-now'),
    result: byId('sample-result'),
  });
  connect();
  loadStored();
  render();
  // The chart's minutes move on even when nothing arrives.
  setInterval(render, 30_000);
}

start().catch((error: Error) => {
  connection.textContent = `the inspector could not start: ${error.message}`;
});
