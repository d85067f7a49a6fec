import { figure, ratio, type Section } from '../report';
import { CHART_WINDOW_MS, HEAP_HOURS, type HeapRun, type RendererPath } from './scenarios';
import { FRAME_BUDGET_MS, FRAME_JITTER_MS, medianFigures, type SteadyFigures } from './summary';
import { BATCH_INTERVAL_MS, GROUPS, KEYS_PER_GROUP } from './synthetic-stream';

/** How the bench was run, for the tables' explanations. */
export interface BenchPlan {
  /** Runs of each case, by path. */
  runs: Record<RendererPath, number>;
  rates: readonly number[];
  heavyRate: number;
  windows: Record<RendererPath, { warmupMs: number; windowMs: number }>;
}

/** One measured case: a path, what it plots, the rate, and the figures of each run. */
export interface Case {
  path: RendererPath;
  plotAll: boolean;
  eventsPerSecond: number;
  runs: SteadyFigures[];
}

const EVENT_TO_PIXEL_MS = 50;
const BETTER_BY = 20;

const SERIES = GROUPS * KEYS_PER_GROUP;
const label = (path: RendererPath): string => (path === 'optimized' ? 'app (built renderer)' : 'naive (update per event)');
const plottedOf = (plotAll: boolean): number => (plotAll ? SERIES : KEYS_PER_GROUP);
const ms = (value: number): string => figure(value, value < 100 ? 1 : 0);

/** Frames, long tasks and delays, one row per case. */
export function steadySection(plan: BenchPlan, cases: readonly Case[]): Section {
  return {
    title: 'Renderer: frames and event→pixel delay, 400 series',
    about:
      `${SERIES} series (${GROUPS} groups × ${KEYS_PER_GROUP} keys), one batch per ${BATCH_INTERVAL_MS} ms as the core's batcher sends them, each update's \`at\` spread over the ${BATCH_INTERVAL_MS} ms before its batch (when it entered the core). ` +
      `The app shows the selected group's table and plots its ${KEYS_PER_GROUP} keys (or all ${SERIES} series), scrolled to the chart and the event log, after history filling the chart's ${CHART_WINDOW_MS / 60_000}-minute window at the run's rate. ` +
      `Frames: rAF intervals of the page; late: the share of frames more than ${FRAME_BUDGET_MS + FRAME_JITTER_MS} ms after the one before (a p95 above 16.7 ms means more than 5% were); long tasks: count and ms per second of window; event→pixel: from \`at\` to the end of the first frame painted after the update reached the stores, ` +
      'or, when that frame handed the chart\'s lines to the lines worker, to when the worker had drawn them (the later of the two); chart frames/s: pictures of the lines the worker drew per second; ' +
      'handover→pixel: from when the bench pushed the batch down a local event stream (Server-Sent Events: like Electron\'s IPC, one task per batch in the page); in page: from the batch\'s task in the page (the renderer alone). ' +
      `Medians of ${plan.runs.optimized} runs of the app and ${plan.runs.naive} of the naive page. The naive page stops handling events at the end of its ${plan.windows.naive.windowMs / 1_000} s window, so its frame figures are capped there; ` +
      '"growing": the page painted less than 80% of what was sent, so its backlog (waiting in the event stream) and delay grow for as long as the stream lasts; the figure is that of the updates it did paint. ' +
      'The naive page is not run with all series plotted: one of its updates then takes about 50 s.',
    columns: ['path', 'plotted', 'events/s', 'frame p50 ms', 'frame p95 ms', 'frame max ms', 'frames late', 'long tasks (ms/s)', 'event→pixel p50 ms', 'event→pixel p95 ms', 'handover→pixel p95 ms', 'in page p50 / p95 ms', 'painted/s', 'chart frames/s', 'ms per chart.update() (naive)', 'runs'],
    rows: cases.map(({ path, plotAll, eventsPerSecond, runs }) => {
      const m = medianFigures(runs);
      const delay = (value: number): string => (m.keptUp ? ms(value) : Number.isFinite(value) ? `≥ ${ms(value)}, growing` : 'none painted');
      return [
        label(path),
        plottedOf(plotAll),
        figure(eventsPerSecond),
        ms(m.frameP50),
        ms(m.frameP95),
        ms(m.frameMax),
        `${figure(100 * m.lateShare, 1)}%`,
        `${figure(m.longTasks)} (${figure(m.longTaskMsPerSecond)})`,
        delay(m.eventP50),
        delay(m.eventP95),
        delay(m.batchP95),
        Number.isFinite(m.pageP50) ? `${delay(m.pageP50)} / ${delay(m.pageP95)}` : delay(m.pageP50),
        figure(m.shownPerSecond),
        path === 'optimized' ? figure(m.linesFramesPerSecond) : '—',
        m.msPerUpdate === null ? '—' : ms(m.msPerUpdate),
        runs.length,
      ];
    }),
  };
}

const mb = (bytes: number): number => bytes / 2 ** 20;
/** MB (JS heap + ArrayBuffers) at a reading: 0 the start, n after n simulated hours. */
const heapTotal = (run: HeapRun, at: number): number => mb(run.points[at]![1] + run.points[at]![2]);
const last = (run: HeapRun): number => run.points.length - 1;
/** Flat: the 4 h figure within 2 MB or 5% of the 1 h figure. */
const isFlat = (run: HeapRun): boolean => Math.abs(heapTotal(run, last(run)) - heapTotal(run, 1)) <= Math.max(2, 0.05 * heapTotal(run, 1));

/** Memory at the start and after each simulated hour, one row per path. */
export function heapSection(heaps: ReadonlyMap<RendererPath, HeapRun>): Section {
  return {
    title: 'Renderer: memory over 4 simulated hours',
    about:
      `${SERIES} series × one point per second × ${figure(HEAP_HOURS * 3_600)} s = ${figure((SERIES * HEAP_HOURS * 3_600) / 1e6, 2)} M updates with \`at\` over ${HEAP_HOURS} hours, sent in batches of one simulated minute through the bridge ` +
      '(the naive page takes them without its per-event update, which could not get through them). Heap after two forced collections (CDP `HeapProfiler.collectGarbage`), ' +
      '`Runtime.getHeapUsage`: JS heap plus ArrayBuffer backing stores (where the app\'s series histories live); "flat": the 4 h figure within 2 MB or 5% of the 1 h figure. One run per path.',
    columns: ['path', ...Array.from({ length: HEAP_HOURS + 1 }, (_, hour) => (hour === 0 ? 'start MB' : `${hour} h MB`)), 'growth 1 h→4 h MB', 'of which ArrayBuffers at 4 h MB', 'flat', '4 h ingested in s'],
    rows: [...heaps].map(([path, run]) => [
      label(path),
      ...run.points.map((_, at) => figure(heapTotal(run, at), 1)),
      figure(heapTotal(run, last(run)) - heapTotal(run, 1), 1),
      figure(mb(run.points[last(run)]![2]), 1),
      isFlat(run) ? 'yes' : 'no',
      figure(run.ingestSeconds, 1),
    ]),
  };
}

/** The app against the naive path, with the targets and whether they are met. */
export function comparisonSection(plan: BenchPlan, cases: readonly Case[], heaps: ReadonlyMap<RendererPath, HeapRun>): Section {
  const find = (path: RendererPath, plotAll: boolean, rate: number): SteadyFigures | null => {
    const found = cases.find((each) => each.path === path && each.plotAll === plotAll && each.eventsPerSecond === rate);
    return found === undefined || found.runs.length === 0 ? null : medianFigures(found.runs);
  };
  const rows: (string | number)[][] = [];
  const frameBudget = FRAME_BUDGET_MS + FRAME_JITTER_MS;
  const delay = (run: SteadyFigures): string => (run.keptUp ? ms(run.eventP95) : 'growing');
  for (const plotAll of [false, true]) {
    for (const rate of plotAll ? [plan.heavyRate] : plan.rates) {
      const app = find('optimized', plotAll, rate);
      if (app === null) continue;
      const naive = find('naive', plotAll, rate);
      const where = `${plottedOf(plotAll)} plotted, ${figure(rate)} ev/s`;
      const frameMet = app.frameP95 <= frameBudget && (naive === null || naive.frameP95 / app.frameP95 >= BETTER_BY);
      const delayMet = app.keptUp && app.eventP95 <= EVENT_TO_PIXEL_MS && (naive === null || !naive.keptUp || naive.eventP95 / app.eventP95 >= BETTER_BY);
      if (naive === null) {
        rows.push([`frame p95 ms, ${where}`, ms(app.frameP95), 'not run', '—', `≤ ${FRAME_BUDGET_MS}`, frameMet ? 'yes' : 'no']);
        rows.push([`event→pixel p95 ms, ${where}`, delay(app), 'not run', '—', `≤ ${EVENT_TO_PIXEL_MS}`, delayMet ? 'yes' : 'no']);
        continue;
      }
      const capped = naive.keptUp ? '' : ' (capped)';
      rows.push([`frame p95 ms, ${where}`, ms(app.frameP95), `${ms(naive.frameP95)}${capped}`, `${naive.keptUp ? '' : '≥ '}${ratio(app.frameP95, naive.frameP95)}`, `≤ ${FRAME_BUDGET_MS} and ≥ ${BETTER_BY}×`, frameMet ? 'yes' : 'no']);
      rows.push([
        `event→pixel p95 ms, ${where}`,
        delay(app),
        delay(naive),
        !app.keptUp ? '—' : naive.keptUp ? ratio(app.eventP95, naive.eventP95) : '∞',
        `≤ ${EVENT_TO_PIXEL_MS} and ≥ ${BETTER_BY}×`,
        delayMet ? 'yes' : 'no',
      ]);
      rows.push([`long-task ms per s, ${where}`, figure(app.longTaskMsPerSecond), figure(naive.longTaskMsPerSecond), ratio(app.longTaskMsPerSecond, naive.longTaskMsPerSecond), '—', '—']);
      rows.push([`updates painted per s, ${where}`, figure(app.shownPerSecond), figure(naive.shownPerSecond), ratio(naive.shownPerSecond, app.shownPerSecond), '—', '—']);
    }
  }
  const appHeap = heaps.get('optimized');
  const naiveHeap = heaps.get('naive');
  if (appHeap !== undefined && naiveHeap !== undefined) {
    const final = (run: HeapRun): number => heapTotal(run, last(run));
    rows.push([
      'memory after 4 simulated hours MB',
      figure(final(appHeap), 1),
      figure(final(naiveHeap), 1),
      ratio(final(appHeap), final(naiveHeap)),
      `flat and ≥ ${BETTER_BY}×`,
      isFlat(appHeap) && final(naiveHeap) / final(appHeap) >= BETTER_BY ? 'yes' : 'no',
    ]);
    const growth = (run: HeapRun): number => final(run) - heapTotal(run, 1);
    rows.push([
      'memory growth 1 h→4 h MB',
      figure(growth(appHeap), 1),
      figure(growth(naiveHeap), 1),
      ratio(Math.max(Math.abs(growth(appHeap)), 0.1), growth(naiveHeap)),
      'flat',
      isFlat(appHeap) ? 'yes' : 'no',
    ]);
  }
  return {
    title: 'Renderer: app against the naive path, and the targets',
    about:
      `Medians from the tables above; ratio = naive ÷ app (how many times better the app is). Frame target: the 60 Hz budget, ${FRAME_BUDGET_MS} ms (met up to ${figure(frameBudget, 1)} ms: rAF jitter). ` +
      '"capped": the naive page was still inside one long task when its window ended, so its figure is a lower bound; "growing": the path fell behind the stream. ' +
      `Event→pixel counts from when the update entered the core, so it includes up to ${BATCH_INTERVAL_MS} ms in the core's batcher (FLUSH_INTERVAL_MS) before the renderer sees it.`,
    columns: ['figure', 'app', 'naive', 'naive ÷ app', 'target', 'met'],
    rows,
  };
}
