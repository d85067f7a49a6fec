import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import { MAX_HISTORY_POINTS } from '../../../shared/limits';
import type { CounterBatch, HistoryRequest } from '../../../shared/types';
import { BackfilledSeries } from '../lib/backfilled-series';
import { historyTiers, SeriesHistory } from '../lib/series-history';
import type { SeriesPoints } from '../lib/series-points';
import { historyRequests, storedPoints } from '../lib/stored-history';
import { countdeck } from '../services/countdeck';

export const CHART_WINDOWS = ['1m', '5m', '30m', '24h', '7d', 'all'] as const;
export type ChartWindow = (typeof CHART_WINDOWS)[number];
export const WINDOW_MS: Record<ChartWindow, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '30m': 1_800_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
  all: Infinity,
};
/** The windows the live cache covers by itself; the others read all but their newest half hour from the stored history. */
export const LIVE_WINDOWS = ['1m', '5m', '30m'] as const satisfies readonly ChartWindow[];

/** The most columns the chart draws a line in; each keeps its lowest and highest point. */
export const CHART_COLUMNS = 200;
/** Every point of the shortest window is kept, up to this many per series; older ones are merged by time. */
export const RECENT_POINTS = 4_096;
/** How each series' live cache coarsens with age, back to the longest live window: memory stays flat however fast a counter moves. */
export const HISTORY_TIERS = historyTiers(LIVE_WINDOWS.map((window) => WINDOW_MS[window]), CHART_COLUMNS, RECENT_POINTS);

/**
 * Columns across the plot for `lines` lines. A few lines get all of CHART_COLUMNS; many share a
 * budget of points per frame, since every segment is drawn and hundreds of overlapping lines show
 * their envelope, not their detail.
 */
const MIN_COLUMNS = 16;
const POINT_BUDGET = 16_000;
/** The columns the chart draws each of `lines` lines in. */
export const columnsFor = (lines: number): number => Math.max(MIN_COLUMNS, Math.min(CHART_COLUMNS, Math.floor(POINT_BUDGET / (2 * Math.max(lines, 1)))));

/** The Session window's shortest reach back, so a page that just started still asks for a range. */
const MIN_SESSION_MS = 30_000;
/** A failed history read is tried again after this long, not on every tick of the chart's clock. */
const RETRY_MS = 30_000;

/** Plot each counter's value, or its change since the left edge of the window (lines of any size side by side). */
export const CHART_SCALES = ['change', 'value'] as const;
export type ChartScale = (typeof CHART_SCALES)[number];

export interface SeriesID {
  id: string;
  groupID: string;
  key: string;
}

/** The identity of one plotted line. */
export function seriesID(groupID: string, key: string): string {
  return `${groupID}\u0000${key}`;
}

/**
 * Time series of every counter seen, for the live chart: a live cache of what arrived since the page
 * started, behind which the stored history of each plotted series is read for the window shown. The
 * points live outside Vue's reactivity.
 */
export const useSeriesStore = defineStore('series', () => {
  const histories = markRaw(new Map<string, BackfilledSeries>());
  /** Per series, the newest history read asked for it and whether its answer is still awaited. */
  const reads = markRaw(new Map<string, { ticket: number; awaiting: boolean }>());
  const known = shallowRef<SeriesID[]>([]);
  const plotted = ref<string[]>([]);
  const window = ref<ChartWindow>('5m');
  const scale = ref<ChartScale>('change');
  const paused = ref(false);
  /** Bumped once per batch, or stored history read, so the chart knows to redraw (at most once per frame). */
  const version = ref(0);
  /** Why the last history read failed, until one succeeds: the chart then shows its live part only. */
  const historyProblem = ref<ErrorInfo | null>(null);
  /** When the page started: where the Session window begins. */
  const startedAt = Date.now();
  /** Moves on with each change of window and each reset: a history read answered after one is dropped. */
  let generation = 0;
  let tickets = 0;
  let retryAt = 0;

  function historyOf(groupID: string, key: string): BackfilledSeries {
    const id = seriesID(groupID, key);
    let found = histories.get(id);
    if (found === undefined) {
      found = new BackfilledSeries(new SeriesHistory(HISTORY_TIERS));
      histories.set(id, found);
      known.value = [...known.value, { id, groupID, key }];
    }
    return found;
  }

  /** Starts the lines of a freshly loaded group at its current values. */
  function seed(groupID: string, counters: Record<string, string>, at: number): void {
    for (const [key, value] of Object.entries(counters)) {
      const line = historyOf(groupID, key);
      if (line.live.length === 0) line.push(at, Number(value));
    }
    inServiceOrder(groupID, Object.keys(counters));
    version.value += 1;
  }

  /**
   * Puts a group's series in the order the service lists its counters, where the first of them
   * stands: each keeps the same place, and so the same colour, however the updates came in.
   */
  function inServiceOrder(groupID: string, keys: readonly string[]): void {
    const ids = new Set(keys.map((key) => seriesID(groupID, key)));
    const first = known.value.findIndex((series) => ids.has(series.id));
    const listed = keys.map((key) => known.value.find((series) => series.id === seriesID(groupID, key))!);
    const rest = known.value.filter((series) => !ids.has(series.id));
    const ordered = [...rest.slice(0, first), ...listed, ...rest.slice(first)];
    if (ordered.some((series, index) => series !== known.value[index])) known.value = ordered;
  }

  /** Adds a batch of updates to their series. */
  function ingest(batch: CounterBatch): void {
    for (const update of batch.updates) historyOf(update.groupID, update.key).push(update.at, Number(update.value));
    version.value += 1;
  }

  /** Where the window shown starts, at `now`. */
  function windowFrom(now: number): number {
    return window.value === 'all' ? Math.min(startedAt, now - MIN_SESSION_MS) : now - WINDOW_MS[window.value];
  }

  /** Reads the stored history of these series over the window shown, to draw in front of their live points. */
  async function backfill(ids: readonly string[]): Promise<void> {
    const wanted = new Set(ids);
    const series = known.value.filter((one) => wanted.has(one.id));
    if (series.length === 0) return;
    const ticket = (tickets += 1);
    for (const one of series) reads.set(one.id, { ticket, awaiting: true });
    const to = Date.now();
    const maxPoints = Math.min(MAX_HISTORY_POINTS, 2 * columnsFor(plotted.value.length));
    const requests = historyRequests(series, windowFrom(to), to, maxPoints);
    await Promise.all(requests.map((request) => read(request, ticket, generation)));
  }

  /** One history read; its answer is dropped if the window or the connection changed, or a newer read of a series is out. */
  async function read(request: HistoryRequest, ticket: number, asked: number): Promise<void> {
    const ours = (key: string) => reads.get(seriesID(request.groupID, key))?.ticket === ticket;
    try {
      const reply = await countdeck().getHistory(request);
      if (asked !== generation) return;
      const answered = new Map(reply.series.map((history) => [history.key, history]));
      for (const key of request.keys) {
        // A key the reply leaves out has nothing stored: it is not asked for again on every tick.
        const history = answered.get(key) ?? { key, before: null, buckets: [] };
        if (ours(key)) histories.get(seriesID(request.groupID, key))?.setStored(storedPoints(history, request.from, request.to, reply.from));
      }
      historyProblem.value = null;
      version.value += 1;
    } catch (error) {
      if (asked !== generation) return;
      historyProblem.value = error as ErrorInfo;
      retryAt = Date.now() + RETRY_MS;
    } finally {
      for (const key of request.keys) if (ours(key)) reads.get(seriesID(request.groupID, key))!.awaiting = false;
    }
  }

  /**
   * Reads the stored history again for plotted series whose points no longer cover the window: the
   * live cache let go of points the last read did not reach, or that read failed. Called on the
   * chart's clock.
   */
  function keepBackfilled(now: number): void {
    if (now < retryAt) return;
    const from = windowFrom(now);
    const due = plotted.value.filter((id) => reads.get(id)?.awaiting !== true && histories.get(id)?.covers(from) === false);
    if (due.length > 0) void backfill(due);
  }

  /** Shows another window, its stored history read afresh. */
  function setWindow(next: ChartWindow): Promise<void> {
    window.value = next;
    return reloadHistory();
  }

  /** Reads the stored history of every plotted series again (another window, or history deleted). */
  function reloadHistory(): Promise<void> {
    generation += 1;
    retryAt = 0;
    return backfill(plotted.value);
  }

  /** Plots every series of a group that is not plotted yet (the operator's default view). */
  function plotGroup(groupID: string): Promise<void> {
    const missing = known.value.filter((series) => series.groupID === groupID && !plotted.value.includes(series.id)).map((series) => series.id);
    plotted.value = [...plotted.value, ...missing];
    return backfill(missing);
  }

  function togglePlotted(id: string): Promise<void> {
    const adding = !plotted.value.includes(id);
    plotted.value = adding ? [...plotted.value, id] : plotted.value.filter((other) => other !== id);
    return adding ? backfill([id]) : Promise.resolve();
  }

  /** Change per minute over the last minute (or what the series holds of it), or null without two points. */
  function ratePerMinute(id: string, now: number): number | null {
    const line = histories.get(id);
    if (line === undefined || line.length < 2) return null;
    const from = Math.max(line.timeAt(0), now - 60_000);
    const first = line.valueAtTime(from);
    const last = line.valueAt(line.length - 1);
    const elapsed = now - from;
    if (first === undefined || elapsed <= 0) return null;
    return ((last - first) * 60_000) / Math.max(elapsed, 1_000);
  }

  /** Forgets every series of the previous connection; history reads still out for it are dropped. */
  function reset(): void {
    generation += 1;
    histories.clear();
    reads.clear();
    known.value = [];
    plotted.value = [];
    historyProblem.value = null;
    retryAt = 0;
    version.value += 1;
  }

  // The histories as a plain map, not an action: the chart reads hundreds of them every frame.
  return {
    histories: histories as ReadonlyMap<string, SeriesPoints>,
    known,
    plotted,
    window,
    scale,
    paused,
    version,
    historyProblem,
    reset,
    seed,
    ingest,
    plotGroup,
    togglePlotted,
    setWindow,
    reloadHistory,
    keepBackfilled,
    ratePerMinute,
  };
});
