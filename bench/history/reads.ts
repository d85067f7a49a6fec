import { createCore, type Core } from '../../electron/core/create-core';
import { planRead } from '../../electron/core/history/history-tiers';
import { silentLogger } from '../../electron/core/logger';
import { MAX_HISTORY_POINTS } from '../../shared/limits';
import type { HistoryReply, HistoryRequest } from '../../shared/types';
import { GROUPS, KEYS_PER_GROUP, type SeriesRef } from './common';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The chart's columns for `lines` plotted lines (renderer/src/stores/series.ts: columnsFor), and the points it asks for: two per column. */
export function pointsFor(lines: number): number {
  const columns = Math.max(16, Math.min(200, Math.floor(16_000 / (2 * Math.max(lines, 1)))));
  return Math.min(MAX_HISTORY_POINTS, 2 * columns);
}

export interface ChartWindow {
  name: string;
  spanMs: number;
  /** How many groups of 20 keys are read: every group (all 400 plotted) or the first. */
  groups: number;
}

export const CHART_WINDOWS: readonly ChartWindow[] = [
  { name: '5 min', spanMs: 5 * MINUTE, groups: GROUPS },
  { name: '30 min', spanMs: 30 * MINUTE, groups: 1 },
  { name: '24 h', spanMs: DAY, groups: 1 },
  { name: '7 days', spanMs: 7 * DAY, groups: 1 },
];

/** The requests the page makes for a window: one per group of plotted series, each of its 20 keys, the points for all plotted lines. */
export function windowRequests(layout: readonly SeriesRef[], window: ChartWindow, to: number): HistoryRequest[] {
  const maxPoints = pointsFor(window.groups * KEYS_PER_GROUP);
  const requests: HistoryRequest[] = [];
  for (let group = 0; group < window.groups; group += 1) {
    const keys = layout.slice(group * KEYS_PER_GROUP, (group + 1) * KEYS_PER_GROUP);
    requests.push({ groupID: keys[0]!.groupID, keys: keys.map((one) => one.key), from: to - window.spanMs, to, maxPoints });
  }
  return requests;
}

/** Reads through the core's dispatch, as IPC does (validation included), all requests of a window at once as the page does. */
export async function readWindow(core: Core, requests: readonly HistoryRequest[]): Promise<{ ms: number; replies: HistoryReply[] }> {
  const started = performance.now();
  const results = await Promise.all(requests.map((request) => core.dispatch('getHistory', request)));
  const ms = performance.now() - started;
  const replies = results.map((result) => {
    if (!result.ok) throw new Error(`getHistory failed: ${result.error.message}`);
    return result.value as HistoryReply;
  });
  return { ms, replies };
}

export interface WindowTiming {
  window: ChartWindow;
  series: number;
  maxPoints: number;
  /** The tiers read (finest first), from the core's plan. */
  tiers: number[];
  /** Buckets per key (median over keys) and JSON bytes of the replies. */
  bucketsPerKey: number;
  replyBytes: number;
  /** ms of the first read after the core opened, and of each later one. */
  firstMs: number;
  ms: number[];
}

/**
 * Times each chart window's reads on a core opened on the profile: the first read of each right
 * after the core opened (its integrity check running), then, `settleMs` later, `runs` more of each,
 * the windows interleaved.
 */
export async function timeWindows(dataDir: string, layout: readonly SeriesRef[], runs: number, settleMs: number): Promise<WindowTiming[]> {
  const core = await createCore({ dataDir, log: silentLogger });
  try {
    const timings: WindowTiming[] = [];
    for (const window of CHART_WINDOWS) {
      const to = Date.now();
      const requests = windowRequests(layout, window, to);
      const first = await readWindow(core, requests);
      const buckets = first.replies.flatMap((reply) => reply.series.map((one) => one.buckets.length)).sort((a, b) => a - b);
      timings.push({
        window,
        series: requests.reduce((sum, request) => sum + request.keys.length, 0),
        maxPoints: requests[0]!.maxPoints,
        tiers: planRead(to - window.spanMs, to, requests[0]!.maxPoints, to).map((segment) => segment.tier),
        bucketsPerKey: buckets[Math.floor(buckets.length / 2)] ?? 0,
        replyBytes: first.replies.reduce((sum, reply) => sum + JSON.stringify(reply).length, 0),
        firstMs: first.ms,
        ms: [],
      });
    }
    await new Promise((done) => setTimeout(done, settleMs));
    for (let run = 0; run < runs; run += 1) {
      for (const timing of timings) timing.ms.push((await readWindow(core, windowRequests(layout, timing.window, Date.now()))).ms);
    }
    return timings;
  } finally {
    await core.close();
  }
}
