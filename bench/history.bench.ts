/**
 * History benchmark: the durable counter history on a real file database. Ingest at 400 series (the
 * batches the core's batcher makes, fed to `CounterHistory.record()`), the chart's windows read
 * from a simulated week, bytes on disk, and a cold start on that week's profile up to the first
 * chart painted in Chromium. Figures only, nothing asserted. On its own: `npx tsx bench/history.bench.ts`
 * (the painted-chart rows need `npm run build` first; without a build they say so).
 */
import { systemClock } from '../electron/core/clock';
import { CounterHistory } from '../electron/core/history/counter-history';
import { HISTORY_TIERS } from '../electron/core/history/history-tiers';
import { silentLogger } from '../electron/core/logger';
import { openDatabase } from '../electron/core/store/database';
import { FLUSH_INTERVAL_MS, MAX_RECENT_UPDATES } from '../shared/limits';
import type { HistoryRequest } from '../shared/types';
import { coldStart, dropFromCache, timeIntegrityCheck, type ColdStart } from './history/cold-start';
import { LOCAL_SOURCE, MB, SERIES } from './history/common';
import { dissect } from './history/dissect';
import { ingest, type IngestRun } from './history/ingest';
import { openPaintBench, type PaintedStart } from './history/page';
import { CHART_WINDOWS, timeWindows, windowRequests, type WindowTiming } from './history/reads';
import { sketchRead } from './history/read-sketch';
import { buildWeekProfile, WEEK_MS, type WeekProfile } from './history/week';
import { figure, median, percentile, toMarkdown, type Section } from './report';

const RUNS = 3;
/** Stream rates of the ingest ladder, updates per second over the 400 series. */
const RATES = [25_000, 100_000, 400_000, 800_000, 1_600_000, 3_200_000];
const LADDER_SECONDS = 10;
/** The target rate, run for a minute and a bit so the core's first prune (at 60 s) falls in it. */
const TARGET_RATE = 100_000;
const MINUTE_SECONDS = 62;
const WINDOW_RUNS = 9;
const COLD_RUNS = 5;
const PAINT_RUNS = 3;
/** Long enough for a closed core's integrity check to end: stopping it cannot interrupt SQLite's check, which runs on to its end. */
const SETTLE_MS = 2_500;

const settle = (ms = SETTLE_MS) => new Promise((done) => setTimeout(done, ms));
const ms = (value: number, digits = 1) => figure(value, digits);
const pick = <T>(runs: readonly T[], read: (run: T) => number) => median(runs.map(read));

/** Runs the history benchmark and returns its tables. */
export async function benchHistory(): Promise<Section[]> {
  const ingested = ingestSections();
  const sections: Section[] = [...ingested.sections];
  const week = await buildWeekProfile();
  try {
    sections.push(...(await windowSections(week)));
    sections.push(storageSection(week, ingested.minute));
    sections.push(...(await coldStartSections(week)));
  } finally {
    week.remove();
  }
  return sections;
}

/** The ingest tables, and the last minute run for the storage table. */
function ingestSections(): { sections: Section[]; minute: IngestRun } {
  // The ladder: each rate for 10 s of stream, the rates interleaved run by run.
  const ladder = new Map<number, IngestRun[]>(RATES.map((rate) => [rate, []]));
  for (let run = 0; run < RUNS; run += 1) for (const rate of RATES) ladder.get(rate)!.push(ingest({ rate, seconds: LADDER_SECONDS, upkeep: true }));
  const rows = RATES.map((rate) => {
    const runs = ladder.get(rate)!;
    const share = pick(runs, (run) => run.recordSeconds / run.seconds);
    return [
      figure(rate),
      figure(runs[0]!.updatesPerBatch),
      ms(pick(runs, (run) => percentile(run.batchMs, 50)), 2),
      ms(pick(runs, (run) => percentile(run.batchMs, 95)), 2),
      ms(pick(runs, (run) => Math.max(...run.batchMs))),
      `${figure(100 * share)}%`,
      figure(Math.round(rate / share / 1_000) * 1_000),
      figure(runs.reduce((sum, run) => sum + run.lostTier0, 0)),
      figure(runs.reduce((sum, run) => sum + Math.max(...run.lostCoarser.map(Math.abs)), 0)),
    ];
  });
  const kept = RATES.filter((rate) => pick(ladder.get(rate)!, (run) => run.recordSeconds / run.seconds) < 1);

  const minutes: IngestRun[] = [];
  for (let run = 0; run < RUNS; run += 1) minutes.push(ingest({ rate: TARGET_RATE, seconds: MINUTE_SECONDS, upkeep: true }));
  const rawPerSecond = Math.min(MAX_RECENT_UPDATES, minutes[0]!.updatesPerBatch) * (1_000 / FLUSH_INTERVAL_MS);

  const uninstrumented = pick(ladder.get(TARGET_RATE) ?? [], (run) => (run.recordSeconds * 1_000) / run.batches);
  const dissected = ingest({ rate: TARGET_RATE, seconds: LADDER_SECONDS, upkeep: false, dissect: true });
  const perBatch = (value: number) => value / dissected.batches;
  const recordMs = dissected.recordSeconds * 1_000;
  const parts = [...dissected.parts!].sort((a, b) => b[1].ms - a[1].ms);
  const inSql = parts.reduce((sum, [, part]) => sum + part.ms, 0);
  const partRows = parts.map(([label, part]) => [label, ms(perBatch(part.ms), 2), figure(perBatch(part.calls), 1), `${figure((100 * part.ms) / recordMs)}%`]);
  partRows.push(['the rest: JS in record() (grouping the batch by series and second, BigInt values, the open seconds), and the timers', ms(perBatch(recordMs - inSql), 2), '—', `${figure((100 * (recordMs - inSql)) / recordMs)}%`]);
  partRows.push(['**record() in all**', ms(perBatch(recordMs), 2), '1', '100%']);

  const sections: Section[] = [
    {
      title: 'History ingest at 400 series: what `record()` keeps up with',
      about: `\`CounterHistory.record()\` on a file database (WAL, synchronous FULL, ext4 under the system's temporary folder) fed the batches the core's batcher makes of a stream at each rate: one batch per 16 ms of stream, each update a +1 on the next of 400 series (20 groups × 20 keys), with the core's 5 s fold on the stream's clock. Batches go back to back on a simulated clock; only \`record()\` is timed. *Busy*: time in \`record()\` over the stream's duration (100% = the main thread does nothing else). *Capacity*: the rate at which \`record()\` would take the whole thread at this batch size. *Lost*: updates fed minus the tier-0 buckets' \`count\` summed in the database, over all runs; then the same for tiers 1–3 after close (every second added up). ${LADDER_SECONDS} s of stream per run, medians of ${RUNS} runs, rates interleaved. Kept up with (busy < 100%): up to ${figure(Math.max(...kept, 0))} updates/s.`,
      columns: ['stream (updates/s)', 'updates per batch', 'record() p50 (ms)', 'p95 (ms)', 'max (ms)', 'busy', 'capacity (updates/s)', 'lost, tier 0', 'lost, tiers 1–3'],
      rows,
    },
    {
      title: `History ingest: a minute at ${figure(TARGET_RATE)} updates/s with the core's upkeep`,
      about: `As above for ${MINUTE_SECONDS} s of stream, with the upkeep of \`records.ts\` on the stream's clock: ended seconds added up every 5 s (\`foldEnded\`) and old history dropped every 60 s (\`prune\`), each on the main thread like a batch. Each batch also stores its newest ${figure(Math.min(MAX_RECENT_UPDATES, minutes[0]!.updatesPerBatch))} updates raw for the event log (${figure(rawPerSecond)} rows a second) in a ring of 5,000 rows, each taking the slot of the oldest. File after close and a checkpoint (TRUNCATE); *free*: pages deleted rows left inside it (the file does not shrink: \`prune\` does not vacuum). Medians of ${RUNS} runs.`,
      columns: ['record() p50 (ms)', 'p95 (ms)', 'max (ms)', 'busy', 'fold every 5 s, p50 (ms)', 'prune at 60 s (ms)', 'file after (MB)', 'of it free (MB)', 'lost, tier 0', 'lost, tiers 1–3'],
      rows: [
        [
          ms(pick(minutes, (run) => percentile(run.batchMs, 50)), 2),
          ms(pick(minutes, (run) => percentile(run.batchMs, 95)), 2),
          ms(pick(minutes, (run) => Math.max(...run.batchMs))),
          `${figure(100 * pick(minutes, (run) => run.recordSeconds / run.seconds))}%`,
          ms(pick(minutes, (run) => percentile(run.foldMs.filter((_, i) => (i + 1) % 12 !== 0), 50)), 2),
          ms(pick(minutes, (run) => run.pruneMs[0] ?? Number.NaN), 0),
          ms(pick(minutes, (run) => run.bytes / MB)),
          ms(pick(minutes, (run) => run.freeBytes / MB)),
          figure(minutes.reduce((sum, run) => sum + run.lostTier0, 0)),
          figure(minutes.reduce((sum, run) => sum + Math.max(...run.lostCoarser.map(Math.abs)), 0)),
        ],
      ],
    },
    {
      title: `Where a batch's time goes at ${figure(TARGET_RATE)} updates/s`,
      about: `One run of ${LADDER_SECONDS} s of stream (${figure(dissected.updatesPerBatch)} updates a batch, no upkeep) with every statement of the history timed (a wrapper on the benchmark's own \`Database\` object, which makes each call a little slower), and BEGIN/COMMIT timed on its connection. Per batch, mean; the ladder's uninstrumented mean at this rate is ${ms(uninstrumented, 2)} ms.`,
      columns: ['part', 'ms per batch', 'calls per batch', 'share'],
      rows: partRows,
    },
  ];
  return { sections, minute: minutes[minutes.length - 1]! };
}

async function windowSections(week: WeekProfile): Promise<Section[]> {
  const timings: WindowTiming[] = await timeWindows(week.dir, week.layout, WINDOW_RUNS, SETTLE_MS);
  const targets: Record<string, number> = { '5 min': 20, '30 min': 50, '24 h': 50, '7 days': 50 };
  const rows = timings.map((timing) => {
    const target = targets[timing.window.name]!;
    const steady = median(timing.ms);
    return [
      timing.window.name,
      figure(timing.series),
      figure(timing.maxPoints),
      timing.tiers.map((tier) => `${HISTORY_TIERS[tier]!.resolutionMs / 1_000} s`).join(' + '),
      figure(timing.bucketsPerKey),
      figure(timing.replyBytes / 1_024),
      ms(timing.firstMs),
      ms(steady),
      `≤ ${target}`,
      steady <= target ? 'met' : 'missed',
    ];
  });

  // Where the 5 min × 400 read goes, and two sketches of it (not the core's code) to size what would help.
  const { database } = openDatabase({ dataDir: week.dir, now: Date.now, log: silentLogger });
  try {
    const dissection = dissect(database);
    const history = new CounterHistory(database, systemClock);
    const ids = new Map(
      (database.statement('SELECT id, group_id, key FROM series').all() as { id: bigint; group_id: string; key: string }[]).map((row) => [`${row.group_id}\u0000${row.key}`, Number(row.id)]),
    );
    await settle();
    const window = CHART_WINDOWS[0]!;
    const core: number[] = [];
    const perGroup: number[] = [];
    const perGroupText: number[] = [];
    const perGroupJson: number[] = [];
    const perGroupArrays: number[] = [];
    let same = true;
    for (let run = 0; run < WINDOW_RUNS; run += 1) {
      const requests: HistoryRequest[] = windowRequests(week.layout, window, Date.now());
      const now = requests[0]!.to;
      dissection.timing = false;
      let started = performance.now();
      const replies = requests.map((request) => history.read(LOCAL_SOURCE, request.groupID, request.keys, request.from, request.to, request.maxPoints).series);
      core.push(performance.now() - started);
      started = performance.now();
      const sketched = sketchRead(database, ids, requests, now, 'bigint');
      perGroup.push(performance.now() - started);
      started = performance.now();
      const sketchedText = sketchRead(database, ids, requests, now, 'text');
      perGroupText.push(performance.now() - started);
      started = performance.now();
      const sketchedJson = sketchRead(database, ids, requests, now, 'json');
      perGroupJson.push(performance.now() - started);
      started = performance.now();
      sketchRead(database, ids, requests, now, 'arrays');
      perGroupArrays.push(performance.now() - started);
      const expected = JSON.stringify(replies);
      same &&= [sketched, sketchedText, sketchedJson].every((one) => JSON.stringify(one) === expected);
    }
    // One more read of the core's, each statement timed.
    const requests = windowRequests(week.layout, window, Date.now());
    dissection.timing = true;
    dissection.reset();
    const started = performance.now();
    for (const request of requests) history.read(LOCAL_SOURCE, request.groupID, request.keys, request.from, request.to, request.maxPoints);
    const timed = performance.now() - started;
    const parts = new Map(dissection.parts);
    const inSql = [...parts.values()].reduce((sum, part) => sum + part.ms, 0);
    const partRows: (string | number)[][] = [...parts].map(([label, part]) => [`core: ${label}`, ms(part.ms), figure(part.calls)]);
    partRows.push(['core: the rest (JS: planning, the reply objects)', ms(timed - inSql), '—']);
    partRows.push(['core: `CounterHistory.read` in all, this timed run', ms(timed), '—']);
    partRows.push([`**core: \`CounterHistory.read\` in all, untimed** (median of ${WINDOW_RUNS})`, ms(median(core)), '—']);
    partRows.push([`sketch: one range query per group, one seek per key for the value before (bigint)${same ? '' : ' — replies differ!'}`, ms(median(perGroup)), figure(20 + SERIES)]);
    partRows.push(['sketch: the same, values read as text by SQLite', ms(median(perGroupText)), figure(20 + SERIES)]);
    partRows.push(["sketch: the same, each series' buckets as one JSON text from SQLite (`json_group_array`), parsed", ms(median(perGroupJson)), figure(20 + SERIES)]);
    partRows.push(['sketch: as the last, each bucket left an array `[at, min, max, last, lastAt, count]` (a reply of another shape)', ms(median(perGroupArrays)), figure(20 + SERIES)]);
    return [
      {
        title: "Time to answer each chart window, from a week's history (400 series × 1 update/s)",
        about: `\`getHistory\` through the core's dispatch (validation included), on a core opened with \`createCore({ dataDir })\` on the simulated week (see the storage table), as the page asks: one request per group of plotted series, ${'`maxPoints`'} = 2 × the chart's columns for the lines plotted (400 lines → 40, 20 → 400); the 5 min window for all 400 series (20 requests at once), the others for one group's 20. *First*: the first read of each window right after the core opened, while its background integrity check reads the whole file in a worker. *Steady*: median of ${WINDOW_RUNS} more, after the check ended. Reply size: the replies as JSON.`,
        columns: ['window', 'series', 'points asked per key', 'tier read', 'buckets per key', 'reply (KB)', 'first (ms)', 'steady (ms)', 'target (ms)', ''],
        rows,
      },
      {
        title: 'Where the 5 min × 400 read goes',
        about: `\`CounterHistory.read\` called directly for the 20 requests after the integrity check: once with each statement timed (the parts), and ${WINDOW_RUNS} times untimed. Below it, sketches that are *not* the core's code (\`bench/history/read-sketch.ts\`), reading the same buckets on the same database, to size what fewer statements and less per-row work would save${same ? ' (the first three give replies equal to the core\'s, key for key)' : ''}; medians of the same runs.`,
        columns: ['part', 'ms', 'statements'],
        rows: partRows,
      },
    ];
  } finally {
    database.close();
  }
}

function storageSection(week: WeekProfile, minute: IngestRun): Section {
  const weekRows = week.rowsPerTier.reduce((sum, rows) => sum + rows, 0);
  const weekUpdates = SERIES * (WEEK_MS / 1_000);
  const packedRowBytes = week.bucketBytes / weekRows;
  const grownRowBytes = minute.bucketBytes / minute.bucketRows;
  const rows: (string | number)[][] = [
    [
      `ingest: ${MINUTE_SECONDS} s at ${figure(TARGET_RATE)} updates/s (${figure(minute.fed)} updates)`,
      ms(minute.bytes / MB),
      figure(minute.bytes / minute.fed, 2),
      figure(minute.bucketBytes / minute.fed, 2),
      figure(minute.bucketRows),
      figure(grownRowBytes, 1),
      `${figure(100 * (1 - minute.bucketUnused / minute.bucketBytes))}%`,
    ],
    [
      `a week at 400 series × 1 update/s (${figure(weekUpdates)} updates), hand-filled`,
      ms(week.bytes / MB),
      figure(week.bytes / weekUpdates, 2),
      figure(week.bucketBytes / weekUpdates, 2),
      figure(weekRows),
      figure(packedRowBytes, 1),
      `${figure(100 * (1 - week.bucketUnused / week.bucketBytes))}%`,
    ],
  ];
  // The bound the tiers set: each keeps keep ÷ width buckets per series (tier 0 up to a minute more between prunes).
  const bound = HISTORY_TIERS.map((tier) => tier.keepMs / tier.resolutionMs);
  const boundRows = bound.reduce((sum, rows) => sum + rows, 0) * SERIES;
  for (const [index, tier] of HISTORY_TIERS.entries()) {
    rows.push([
      `tier ${index} (${tier.resolutionMs / 1_000} s buckets, kept ${describeMs(tier.keepMs)}): after a week ${figure(week.rowsPerTier[index]! / SERIES)} per series; bound ${figure(bound[index]!)} per series`,
      ms((bound[index]! * SERIES * packedRowBytes) / MB),
      '—',
      '—',
      figure(bound[index]! * SERIES),
      figure(packedRowBytes, 1),
      '—',
    ]);
  }
  rows.push([
    `**the bound, all tiers, 400 series** (a year on; at the ingest run's page fill: ${figure((boundRows * grownRowBytes) / MB)} MB)`,
    ms((boundRows * packedRowBytes) / MB),
    '—',
    '—',
    figure(boundRows),
    figure(packedRowBytes, 1),
    '—',
  ]);
  return {
    title: 'Bytes on disk',
    about: `Database files after close and \`PRAGMA wal_checkpoint(TRUNCATE)\`; per table from SQLite's \`dbstat\`. *Per update*: the file, then the bucket table alone, over the updates recorded. *Bytes per row*: the bucket table's pages over its rows (unused space in the pages included); *page fill*: the share of those pages holding rows. The week was written in key order into a fresh file (${figure(week.simulateSeconds, 1)} s to simulate every second of it, ${figure(week.writeSeconds, 1)} s to write), so its pages are as full as SQLite packs them; the ingest run's grew as the core writes them, series by series interleaved, with the raw updates the prune deleted left as free pages. The tier rows: the bound each tier sets (its keep time ÷ its width, × 400 series) at the week's bytes per row.`,
    columns: ['what', 'MB', 'bytes per update', 'bucket bytes per update', 'bucket rows', 'bytes per row', 'page fill'],
    rows,
  };
}

function describeMs(value: number): string {
  const units: [number, string][] = [
    [24 * 60 * 60_000, 'days'],
    [60 * 60_000, 'h'],
    [60_000, 'min'],
  ];
  for (const [unit, name] of units) if (value >= unit && value % unit === 0) return `${value / unit} ${name}`;
  return `${value / 1_000} s`;
}

async function coldStartSections(week: WeekProfile): Promise<Section[]> {
  await settle();
  const checks = { warm: [] as number[], dropped: [] as number[], damage: 0 };
  for (let run = 0; run < RUNS; run += 1) {
    for (const drop of [false, true]) {
      if (drop) dropFromCache([week.file]);
      const check = await timeIntegrityCheck(week.file);
      (drop ? checks.dropped : checks.warm).push(check.ms);
      checks.damage += check.damage;
    }
  }

  const core = { warm: [] as ColdStart[], dropped: [] as ColdStart[] };
  for (let run = 0; run < COLD_RUNS; run += 1) {
    for (const drop of [false, true]) {
      await settle();
      (drop ? core.dropped : core.warm).push(await coldStart(week.dir, week.file, drop));
    }
  }
  // The history's start-up inside createCore: its statements on the week's database, timed as it opens (the integrity check starting beside it, as in createCore).
  const startups: Map<string, { ms: number; calls: number }>[] = [];
  const startupMs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    await settle();
    const { database } = openDatabase({ dataDir: week.dir, now: Date.now, log: silentLogger });
    try {
      const dissection = dissect(database);
      const started = performance.now();
      new CounterHistory(database, systemClock);
      startupMs.push(performance.now() - started);
      startups.push(new Map(dissection.parts));
    } finally {
      database.close();
    }
  }
  const startupRows: (string | number)[][] = [...startups[0]!.keys()].map((label) => [label, ms(median(startups.map((parts) => parts.get(label)?.ms ?? 0)))]);
  startupRows.push(['**`new CounterHistory` in all**', ms(median(startupMs))]);

  const coreRow = (name: string, runs: ColdStart[]) => [
    name,
    ms(pick(runs, (run) => run.core)),
    ms(pick(runs, (run) => run.counters)),
    ms(pick(runs, (run) => run.history)),
    `${figure(runs[0]!.keys)} keys, ${figure(runs[0]!.buckets)} buckets each`,
  ];

  const paintRows: (string | number)[][] = [];
  let paintNote = '';
  try {
    const bench = await openPaintBench();
    try {
      const painted = { warm: [] as PaintedStart[], dropped: [] as PaintedStart[] };
      for (let run = 0; run < PAINT_RUNS; run += 1) {
        for (const drop of [false, true]) {
          await settle();
          if (drop) dropFromCache([week.file, `${week.file}-wal`]);
          (drop ? painted.dropped : painted.warm).push(await bench.start(week.dir));
        }
      }
      for (const [name, runs] of [
        ['database in the OS cache', painted.warm],
        ['database dropped from the OS cache', painted.dropped],
      ] as const) {
        paintRows.push([
          name,
          ms(pick(runs, (run) => run.core), 0),
          ms(pick(runs, (run) => run.loaded), 0),
          ms(pick(runs, (run) => run.historyAsked), 0),
          ms(pick(runs, (run) => run.historyAnswered), 0),
          ms(pick(runs, (run) => run.painted), 0),
        ]);
      }
    } finally {
      await bench.close();
    }
  } catch (error) {
    paintNote = ` Not measured in this run: ${error instanceof Error ? error.message : String(error)}`;
  }

  const sections: Section[] = [
    {
      title: "Cold start on a week's profile: to the first history reply (core)",
      about: `From calling \`createCore({ dataDir })\` on the week's profile (no service given: the core opens the database and the embedded service on it) to the end of what the page does first, through the dispatch: the group list and the first group's counters (the page's order: live rooms first, by name: "Bench 00"), then the 5 min history of its plotted series (all its keys, 400 points each). Cumulative ms, medians of ${COLD_RUNS}; the two cases interleaved, ${SETTLE_MS / 1_000} s apart. *Dropped*: the file's pages dropped from the kernel's cache first (posix_fadvise DONTNEED through \`dd iflag=nocache\`; \`fincore\` then finds a few % of it cached), as after a reboot.`,
      columns: ['case', 'createCore (ms)', '+ groups and counters (ms)', '+ 5 min history (ms)', 'read'],
      rows: [coreRow('database in the OS cache', core.warm), coreRow('database dropped from the OS cache', core.dropped)],
    },
    {
      title: "Where createCore's history start-up goes on the week's profile",
      about: `The statements \`new CounterHistory\` runs when the core opens (medians of ${RUNS} opens, the file in the OS cache, the integrity check starting beside it as in \`createCore\`). The bucket table's key is (tier, series_id, at): a statement on tier 0 that does not name a series reads all of tier 0 (${figure(week.rowsPerTier[0]!)} buckets here).`,
      columns: ['statement', 'ms'],
      rows: startupRows,
    },
    {
      title: 'Background integrity check of the week database',
      about: `\`checkIntegrity\` (\`PRAGMA integrity_check\` in a worker thread, read-only connection), which the core starts on every open of a file database: from start to verdict, medians of ${RUNS}. Damage found: ${figure(checks.damage)}.`,
      columns: ['case', 'ms', 'file (MB)'],
      rows: [
        ['database in the OS cache', ms(median(checks.warm), 0), ms(week.bytes / MB)],
        ['database dropped from the OS cache', ms(median(checks.dropped), 0), ms(week.bytes / MB)],
      ],
    },
  ];
  sections.push({
    title: 'Cold start on a week\'s profile: to the first chart painted (Chromium)',
    about: `The built renderer in headless Chromium (the end-to-end launch options), bridged to a core on the profile as the end-to-end harness does, except that the core is made with \`createCore({ dataDir })\` (\`bench/history/page.ts\`) and the bridge carries replies as JSON text (Playwright's own serialisation of the 5 min reply took 0.5–0.8 s; Electron's IPC clones it). The browser is already running; each run opens a fresh context and page. Cumulative ms from \`createCore\`: the core ready, the page loaded, the page asking for the 5 min history of the first group's plotted series, its reply in the page, and the lines worker done drawing the first whole picture made from it. Medians of ${PAINT_RUNS}, the cases interleaved.${paintNote}`,
    columns: ['case', 'core ready', 'page loaded', 'history asked', 'reply in page', 'lines painted'],
    rows: paintRows,
  });
  return sections;
}

if (import.meta.main) {
  const started = Date.now();
  for (const section of await benchHistory()) console.log(`\n${toMarkdown(section)}`);
  console.log(`(history: ${figure((Date.now() - started) / 1_000, 1)} s)`);
  process.exit(0);
}
