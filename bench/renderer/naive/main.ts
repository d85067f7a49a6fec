/**
 * The naive renderer path the benchmark compares against: the same lines as the app's chart, drawn with
 * chart.js as most examples do it — parsing on, the default animations, every series kept in full,
 * and `chart.update()` for every event. `?plot=<groupID>` plots one group's series, `?plot=*` all.
 */
import Chart from 'chart.js/auto';
import type { CountersApi } from '../../../shared/counters-api';
import type { CounterBatch } from '../../../shared/types';
import { COST_HOOK, DEADLINE_HOOK, HANDLED_HOOK, HISTORY_DONE, HISTORY_SINK } from '../probe-script';

const WINDOW_MS = 5 * 60_000;

type Point = { x: number; y: number };
const page = window as unknown as Record<string, unknown> & { countdeck: CountersApi };
const plot = new URLSearchParams(location.search).get('plot') ?? '';
const lines = new Map<string, Point[]>();
const canvas = document.getElementById('chart') as HTMLCanvasElement;
const chart = new Chart<'line', Point[]>(canvas, {
  type: 'line',
  data: { datasets: [] },
  options: {
    responsive: true,
    maintainAspectRatio: false,
    elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0 } },
    plugins: { legend: { display: false } },
    scales: { x: { type: 'linear' } },
  },
});
let handled = 0;
let updateMs = 0;
let deadline = Number.POSITIVE_INFINITY;

/** A series' points, and a dataset for it when it is plotted. */
function line(groupID: string, key: string): Point[] {
  const id = `${groupID}\u0000${key}`;
  let data = lines.get(id);
  if (data === undefined) {
    data = [];
    lines.set(id, data);
    if (plot === '*' || plot === groupID) chart.data.datasets.push({ label: `${key} · ${groupID}`, data });
  }
  return data;
}

function add(batch: CounterBatch): void {
  for (const update of batch.updates) line(update.groupID, update.key).push({ x: update.at, y: Number(update.value) });
  chart.options.scales!['x']!.min = Date.now() - WINDOW_MS;
}

page.countdeck.onCounterBatch((batch) => {
  for (const update of batch.updates) {
    if (Date.now() >= deadline) return;
    line(update.groupID, update.key).push({ x: update.at, y: Number(update.value) });
    chart.options.scales!['x']!.min = Date.now() - WINDOW_MS;
    const started = performance.now();
    chart.update();
    updateMs += performance.now() - started;
    handled += 1;
  }
});

page[HANDLED_HOOK] = () => handled;
page[COST_HOOK] = () => ({ updates: handled, ms: updateMs });
page[DEADLINE_HOOK] = (at: number) => (deadline = at);
/** History (what the page would hold after a long broadcast) is drawn once it is all in. */
page[HISTORY_SINK] = add;
page[HISTORY_DONE] = () => chart.update('none');
document.body.dataset['ready'] = 'true';
