import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnv } from './bench-env';
import { openBenchPage, type BenchPage } from './bench-page';
import { COST_HOOK, DEADLINE_HOOK, type HistorySpec, type ProbeReading } from './probe-script';
import { KEYS_PER_GROUP, SHOWN_GROUP, startStream, SyntheticStream } from './synthetic-stream';

/** The app's renderer as built, or the naive chart page. */
export type RendererPath = 'optimized' | 'naive';

/** The chart's default window ('5m' in renderer/src/stores/series.ts): older points are not drawn. */
export const CHART_WINDOW_MS = 300_000;
/** History goes over in batches of this many updates (about). */
const HISTORY_BATCH = 100_000;
/** After the window, time for the last frames' ends and long-task entries to be reported. */
const COLLECT_AFTER_MS = 300;

export interface SteadyOptions {
  path: RendererPath;
  eventsPerSecond: number;
  /** Plot all 400 series instead of the shown group's 20. */
  plotAll: boolean;
  warmupMs: number;
  windowMs: number;
  seed: number;
}

/** What one steady run measured: the probe's reading, and what the bench sent in the window. */
export interface SteadyRun {
  reading: ProbeReading;
  sent: number;
  /** The naive page's mean time per `chart.update()`, ms (null for the app). */
  msPerUpdate: number | null;
}

/** Simulated hours of history in the heap run. */
export const HEAP_HOURS = 4;

export interface HeapRun {
  /** [label, bytes of JS heap, bytes of ArrayBuffer backing stores] after a full GC: at the start, then after each hour. */
  points: [string, number, number][];
  /** Wall-clock seconds the 4 simulated hours took to ingest. */
  ingestSeconds: number;
}

/** Opens the page of `path`; for the app, holds its first read until history is in, then waits for the table and chart. */
async function openPath(env: BenchEnv, path: RendererPath, plotAll: boolean, before: (page: BenchPage) => Promise<void>): Promise<BenchPage> {
  const url = path === 'optimized' ? env.appURL : `${env.naiveURL}?plot=${encodeURIComponent(plotAll ? '*' : SHOWN_GROUP)}`;
  const page = await openBenchPage(env.browser, env.core, url);
  try {
    if (path === 'naive') {
      await page.page.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 });
      await before(page);
      return page;
    }
    await Promise.race([page.readsHeld, sleep(15_000).then(() => Promise.reject(new Error('The renderer never asked for its counters.')))]);
    await before(page);
    page.releaseReads();
    await page.page.locator(`canvas[data-series="${KEYS_PER_GROUP}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    await page.page.locator('tr.counter-row').nth(KEYS_PER_GROUP - 1).waitFor({ timeout: 15_000 });
    // With 20 rows the table fills the window: scroll to the chart and the log, as an operator watching them would.
    await page.page.locator('.live-chart').scrollIntoViewIfNeeded();
    if (plotAll) {
      await page.page.locator('.chip[aria-pressed="false"]').evaluateAll((chips) => chips.forEach((chip) => (chip as unknown as { click(): void }).click()));
      await page.page.locator(`canvas[data-series="${env.layout.length}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    }
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}

/**
 * One steady run: the chart's window filled with history at the run's own rate (the state after a
 * long broadcast), then the stream at `eventsPerSecond`, measured over a window after a warm-up.
 */
export async function runSteady(env: BenchEnv, options: SteadyOptions): Promise<SteadyRun> {
  const stream = new SyntheticStream(env.layout, [...env.values], options.seed);
  const stepMs = (1_000 * env.layout.length) / options.eventsPerSecond;
  // What the chart draws after a long broadcast at this rate: its whole window.
  const steps = Math.ceil(CHART_WINDOW_MS / stepMs) + 1;
  const page = await openPath(env, options.path, options.plotAll, async (opened) => {
    await opened.history({
      series: env.layout,
      base: stream.current(),
      startAt: Date.now() - steps * stepMs,
      stepMs,
      from: 0,
      to: steps,
      stepsPerBatch: Math.max(1, Math.floor(HISTORY_BATCH / env.layout.length)),
    });
    stream.advance(steps);
  });
  try {
    const startAt = Date.now() + 500 + options.warmupMs;
    const endAt = startAt + options.windowMs;
    await page.arm({ startAt, endAt });
    if (options.path === 'naive') {
      // Past the window the naive page drops events, so a run that fell far behind still ends.
      await page.page.evaluate(([hook, at]) => (globalThis as unknown as Record<string, (at: number) => void>)[hook]!(at), [DEADLINE_HOOK, endAt] as const);
    }
    await sleep(500);
    const handle = startStream(stream, options.eventsPerSecond, page.sendBatch);
    await sleep(endAt - Date.now());
    const sent = handle.sentBetween(startAt, endAt);
    handle.stop();
    await sleep(COLLECT_AFTER_MS);
    const reading = await page.collect();
    const cost = options.path === 'naive' ? await page.page.evaluate((hook) => (globalThis as unknown as Record<string, () => { updates: number; ms: number }>)[hook]!(), COST_HOOK) : null;
    return { reading, sent, msPerUpdate: cost === null || cost.updates === 0 ? null : cost.ms / cost.updates };
  } finally {
    await page.close();
  }
}

/** Four simulated hours of history, one point per series per second, with the heap read at the start and after each hour. */
export async function runHeap(env: BenchEnv, path: RendererPath, seed: number): Promise<HeapRun> {
  const stream = new SyntheticStream(env.layout, [...env.values], seed);
  const startAt = Date.now() - HEAP_HOURS * 3_600_000;
  const spec = (from: number, to: number): HistorySpec => ({ series: env.layout, base: stream.current(), startAt, stepMs: 1_000, from, to, stepsPerBatch: 60 });
  const page = await openPath(env, path, false, (opened) => opened.history(spec(0, 60)));
  try {
    await sleep(1_000);
    const points: HeapRun['points'] = [];
    const read = async (label: string): Promise<void> => {
      await sleep(300);
      const heap = await page.heap();
      points.push([label, heap.used, heap.buffers]);
    };
    await read('start');
    let ingestMs = 0;
    for (let hour = 1; hour <= HEAP_HOURS; hour += 1) {
      const started = Date.now();
      await page.history(spec(hour === 1 ? 60 : (hour - 1) * 3_600, hour * 3_600));
      ingestMs += Date.now() - started;
      await read(`${hour} h`);
    }
    return { points, ingestSeconds: ingestMs / 1_000 };
  } finally {
    await page.close();
  }
}
