/**
 * Renderer benchmark: the built renderer in headless Chromium, bridged to a real core like the
 * end-to-end harness, fed a synthetic stream of 400 counter series; beside it, in the same browser,
 * a naive chart.js page that updates its chart on every event. See bench/renderer/ for the parts.
 * Run `npm run build` first; on its own: `npx tsx bench/renderer.bench.ts`.
 */
import { openBenchEnv, type BenchEnv } from './renderer/bench-env';
import { runHeap, runSteady, type HeapRun, type RendererPath } from './renderer/scenarios';
import { comparisonSection, heapSection, steadySection, type BenchPlan, type Case } from './renderer/sections';
import { figuresOf } from './renderer/summary';
import { figure, toMarkdown, type Section } from './report';

/**
 * Five runs of each case of the app and three of the naive page's, interleaved: this machine's speed
 * wanders from run to run (the same build's CPU time per second of stream varies by a tenth), and
 * the naive page's figures are lower bounds far from the targets. With every series plotted: the app
 * only, at the higher rate (the naive page is left out there: one `chart.update()` over 400 × 4,096
 * points with animations took 51.5 s when measured). The app is measured over 10 s after 2 s of
 * warm-up; the naive page, which falls behind at once, over 5 s after 1 s. About 7 minutes in all on
 * 2 cores.
 */
const PLAN: BenchPlan = {
  runs: { optimized: 5, naive: 3 },
  rates: [1_000, 10_000],
  heavyRate: 10_000,
  windows: { optimized: { warmupMs: 2_000, windowMs: 10_000 }, naive: { warmupMs: 1_000, windowMs: 5_000 } },
};

async function measureCase(env: BenchEnv, found: Case, seed: number): Promise<void> {
  const window = PLAN.windows[found.path];
  const run = await runSteady(env, { path: found.path, eventsPerSecond: found.eventsPerSecond, plotAll: found.plotAll, ...window, seed });
  found.runs.push(figuresOf(run, window.windowMs));
}

/** Runs the renderer benchmark and returns its tables. */
export async function benchRenderer(): Promise<Section[]> {
  const env = await openBenchEnv();
  try {
    const cases: Case[] = [];
    for (const plotAll of [false, true]) {
      for (const eventsPerSecond of plotAll ? [PLAN.heavyRate] : PLAN.rates) {
        for (const path of plotAll ? (['optimized'] as const) : (['optimized', 'naive'] as const)) cases.push({ path, plotAll, eventsPerSecond, runs: [] });
      }
    }
    // Interleaved, so a slow moment of the machine does not land on one case.
    for (let run = 0; run < Math.max(...Object.values(PLAN.runs)); run += 1) {
      for (const each of cases) if (run < PLAN.runs[each.path]) await measureCase(env, each, run + 1);
    }
    const heaps = new Map<RendererPath, HeapRun>();
    for (const path of ['optimized', 'naive'] as const) heaps.set(path, await runHeap(env, path, 1));
    return [steadySection(PLAN, cases), heapSection(heaps), comparisonSection(PLAN, cases, heaps)];
  } finally {
    await env.close();
  }
}

if (import.meta.main) {
  const started = Date.now();
  for (const section of await benchRenderer()) console.log(`\n${toMarkdown(section)}`);
  console.log(`(renderer: ${figure((Date.now() - started) / 1_000, 1)} s)`);
  process.exit(0);
}
