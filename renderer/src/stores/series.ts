import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { CounterBatch } from '../../../shared/types';
import { historyTiers, SeriesHistory } from '../lib/series-history';
import type { SeriesPoints } from '../lib/series-points';

export const CHART_WINDOWS = ['1m', '5m', '30m', 'all'] as const;
export type ChartWindow = (typeof CHART_WINDOWS)[number];
export const WINDOW_MS: Record<ChartWindow, number> = { '1m': 60_000, '5m': 300_000, '30m': 1_800_000, all: Infinity };

/** The most columns the chart draws a line in; each keeps its lowest and highest point. */
export const CHART_COLUMNS = 200;
/** Every point of the shortest window is kept, up to this many per series; older ones are merged by time. */
export const RECENT_POINTS = 4_096;
/** How each series' history coarsens with age, back to the longest window: memory stays flat however fast a counter moves. */
export const HISTORY_TIERS = historyTiers(Object.values(WINDOW_MS), CHART_COLUMNS, RECENT_POINTS);

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

/** Time series of every counter seen, for the live chart; the points live outside Vue's reactivity. */
export const useSeriesStore = defineStore('series', () => {
  const histories = markRaw(new Map<string, SeriesHistory>());
  const known = shallowRef<SeriesID[]>([]);
  const plotted = ref<string[]>([]);
  const window = ref<ChartWindow>('5m');
  const scale = ref<ChartScale>('change');
  const paused = ref(false);
  /** Bumped once per batch, so the chart knows to redraw (at most once per frame). */
  const version = ref(0);

  function historyOf(groupID: string, key: string): SeriesHistory {
    const id = seriesID(groupID, key);
    let found = histories.get(id);
    if (found === undefined) {
      found = new SeriesHistory(HISTORY_TIERS);
      histories.set(id, found);
      known.value = [...known.value, { id, groupID, key }];
    }
    return found;
  }

  /** Starts the lines of a freshly loaded group at its current values. */
  function seed(groupID: string, counters: Record<string, string>, at: number): void {
    for (const [key, value] of Object.entries(counters)) {
      const line = historyOf(groupID, key);
      if (line.length === 0) line.push(at, Number(value));
    }
    version.value += 1;
  }

  /** Adds a batch of updates to their series. */
  function ingest(batch: CounterBatch): void {
    for (const update of batch.updates) historyOf(update.groupID, update.key).push(update.at, Number(update.value));
    version.value += 1;
  }

  /** Plots every series of a group that is not plotted yet (the operator's default view). */
  function plotGroup(groupID: string): void {
    const missing = known.value.filter((series) => series.groupID === groupID && !plotted.value.includes(series.id));
    plotted.value = [...plotted.value, ...missing.map((series) => series.id)];
  }

  function togglePlotted(id: string): void {
    plotted.value = plotted.value.includes(id) ? plotted.value.filter((other) => other !== id) : [...plotted.value, id];
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

  /** Forgets every series of the previous connection. */
  function reset(): void {
    histories.clear();
    known.value = [];
    plotted.value = [];
    version.value += 1;
  }

  // The histories as a plain map, not an action: the chart reads hundreds of them every frame.
  return { histories: histories as ReadonlyMap<string, SeriesPoints>, known, plotted, window, scale, paused, version, reset, seed, ingest, plotGroup, togglePlotted, ratePerMinute };
});
