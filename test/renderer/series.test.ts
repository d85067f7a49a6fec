// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { CounterBatch, CounterUpdate } from '../../shared/types';
import type { BackfilledSeries } from '../../renderer/src/lib/backfilled-series';
import type { SeriesPoints } from '../../renderer/src/lib/series-points';
import { SeriesRing } from '../../renderer/src/lib/series-ring';
import { EVENT_LOG_SIZE, useEventLogStore } from '../../renderer/src/stores/event-log';
import { HISTORY_TIERS, seriesID, useSeriesStore, WINDOW_MS } from '../../renderer/src/stores/series';
import { installFakeCountdeck, T0 } from './support/fake-countdeck';
import { freshPinia } from './support/mount';

function contents(ring: SeriesPoints): [number, number][] {
  return Array.from({ length: ring.length }, (_, i) => [ring.timeAt(i), ring.valueAt(i)]);
}

function update(groupID: string, key: string, value: number, at: number): CounterUpdate {
  return { groupID, key, value: String(value), previous: String(value - 1), at };
}

describe('SeriesRing', () => {
  it('keeps points in arrival order while it has room', () => {
    const ring = new SeriesRing(4);
    expect(ring.length).toBe(0);
    ring.push(10, 1);
    ring.push(20, 2);
    expect(contents(ring)).toEqual([
      [10, 1],
      [20, 2],
    ]);
  });

  it('never holds more than its capacity, dropping the oldest and keeping the order', () => {
    const ring = new SeriesRing(4);
    for (let i = 1; i <= 10; i += 1) {
      ring.push(i * 10, i);
      expect(ring.length).toBe(Math.min(i, 4));
    }
    expect(ring.capacity).toBe(4);
    expect(contents(ring)).toEqual([
      [70, 7],
      [80, 8],
      [90, 9],
      [100, 10],
    ]);
  });

  it('stays right after wrapping around many times', () => {
    const ring = new SeriesRing(5);
    for (let i = 0; i < 5 * 37 + 3; i += 1) ring.push(i, -i);
    const last = 5 * 37 + 2;
    expect(contents(ring)).toEqual([4, 3, 2, 1, 0].map((back) => [last - back, -(last - back)]));
  });

  it('grows its storage as points arrive, never past its capacity', () => {
    const ring = new SeriesRing(1_000);
    expect(ring.allocated).toBeLessThan(100);
    for (let i = 0; i < 2_500; i += 1) {
      ring.push(i, i);
      expect(ring.allocated).toBeGreaterThanOrEqual(ring.length);
      expect(ring.allocated).toBeLessThanOrEqual(1_000);
    }
    expect(ring.length).toBe(1_000);
    expect(contents(ring)).toEqual(Array.from({ length: 1_000 }, (_, i) => [1_500 + i, 1_500 + i]));
  });

  it('lets go of the oldest point, or takes back the newest', () => {
    const ring = new SeriesRing(8);
    for (let i = 1; i <= 4; i += 1) ring.push(i * 10, i);
    ring.shift();
    ring.pop();
    expect(contents(ring)).toEqual([
      [20, 2],
      [30, 3],
    ]);
    // The newest held is number pushed - 1: the one taken back no longer counts.
    expect([ring.pushed, ring.firstIntact]).toEqual([3, 1]);
  });

  it('finds the first point at or after a time (indexFrom)', () => {
    const ring = new SeriesRing(4);
    for (let i = 1; i <= 6; i += 1) ring.push(i * 10, i); // holds 30, 40, 50, 60
    expect(ring.indexFrom(0)).toBe(0);
    expect(ring.indexFrom(30)).toBe(0);
    expect(ring.indexFrom(31)).toBe(1);
    expect(ring.indexFrom(50)).toBe(2);
    expect(ring.indexFrom(60)).toBe(3);
    expect(ring.indexFrom(61)).toBe(4);
    expect(new SeriesRing(3).indexFrom(5)).toBe(0);
  });

  it('gives the value at or just before a time (valueAtTime), undefined before the first point', () => {
    const ring = new SeriesRing(4);
    for (let i = 1; i <= 6; i += 1) ring.push(i * 10, i * 100); // (30,300) (40,400) (50,500) (60,600)
    expect(ring.valueAtTime(29)).toBeUndefined();
    expect(ring.valueAtTime(30)).toBe(300);
    expect(ring.valueAtTime(45)).toBe(400);
    expect(ring.valueAtTime(50)).toBe(500);
    expect(ring.valueAtTime(10_000)).toBe(600);
    expect(new SeriesRing(2).valueAtTime(1)).toBeUndefined();
  });
});

describe('series store', () => {
  beforeEach(() => {
    installFakeCountdeck();
    freshPinia();
  });

  /** The live cache reaches back over the longest live window; longer windows read the stored history. */
  const LONGEST_WINDOW_MS = WINDOW_MS['30m'];
  const mostPoints = HISTORY_TIERS.reduce((sum, tier) => sum + tier.capacity, 0);

  it('keeps every point of the last minute and a bounded history however many updates arrive', () => {
    const series = useSeriesStore();
    // 20 updates a second for 40 minutes on two counters: 48,000 each.
    const total = 48_000;
    let at = T0;
    for (let start = 0; start < total; start += 100) {
      const updates: CounterUpdate[] = [];
      for (let i = start; i < Math.min(total, start + 100); i += 1) {
        at += 50;
        updates.push(update('room', 'likes', i, at), update('room', 'viewers', -i, at));
      }
      series.ingest({ seq: start, updates });
    }

    for (const key of ['likes', 'viewers']) {
      const line = (series.histories.get(seriesID('room', key)) as BackfilledSeries).live;
      expect(line.length).toBeLessThanOrEqual(mostPoints);
      expect(line.allocated).toBeLessThanOrEqual(mostPoints);
      // Back to the longest window, and not much further.
      expect(line.timeAt(0)).toBeLessThanOrEqual(at - LONGEST_WINDOW_MS);
      expect(line.timeAt(1)).toBeGreaterThan(at - LONGEST_WINDOW_MS);
    }
    const likes = series.histories.get(seriesID('room', 'likes'))!;
    // The last minute as it came: 1,200 points, nothing merged.
    const recent = contents(likes).slice(-1_200);
    expect(recent).toEqual(Array.from({ length: 1_200 }, (_, i) => [at - (1_199 - i) * 50, total - 1_200 + i]));
    // One line per counter, not one per update.
    expect(series.known.map((known) => known.key)).toEqual(['likes', 'viewers']);
  });

  it('keeps the same history for a series however many updates arrive', () => {
    const series = useSeriesStore();
    series.ingest({ seq: 1, updates: [update('room', 'likes', 1, T0)] });
    const history = series.histories.get(seriesID('room', 'likes'));
    for (let i = 0; i < 5_000; i += 1) series.ingest({ seq: i + 2, updates: [update('room', 'likes', i, T0 + i)] });
    expect(series.histories.get(seriesID('room', 'likes'))).toBe(history);
    expect(history?.length).toBeGreaterThan(0);
  });

  it('gives a quiet series the room its history needs, and covers a busy one in full', () => {
    const series = useSeriesStore();
    // Two hours at one point a second, beside five minutes at twenty a second.
    for (let second = 0; second < 7_200; second += 1) {
      const updates = [update('room', 'quiet', second, T0 + second * 1_000)];
      if (second < 300) for (let i = 0; i < 20; i += 1) updates.push(update('room', 'busy', second * 20 + i, T0 + second * 1_000 + i * 50));
      series.ingest({ seq: second + 1, updates });
    }
    const quiet = (series.histories.get(seriesID('room', 'quiet')) as BackfilledSeries).live;
    const busy = series.histories.get(seriesID('room', 'busy'))!;
    expect(quiet.timeAt(quiet.length - 1) - quiet.timeAt(0)).toBeGreaterThanOrEqual(LONGEST_WINDOW_MS);
    // Fewer than every point of the longest window (1,800).
    expect(quiet.allocated).toBeLessThan(LONGEST_WINDOW_MS / 1_000);
    // All five minutes of the busy one, from its first point, with its last minute point by point.
    expect([busy.timeAt(0), busy.valueAt(0)]).toEqual([T0, 0]);
    expect(busy.length - busy.indexFrom(busy.timeAt(busy.length - 1) - 60_000)).toBe(60 * 20 + 1);
  });

  it('bumps the version once per batch so the chart redraws', () => {
    const series = useSeriesStore();
    const before = series.version;
    series.ingest({ seq: 1, updates: [update('room', 'likes', 1, T0), update('room', 'likes', 2, T0 + 1)] });
    series.ingest({ seq: 2, updates: [] });
    expect(series.version).toBe(before + 2);
  });

  it('seeds a line with the loaded value only while it is empty', () => {
    const series = useSeriesStore();
    series.seed('room', { likes: '10', gifts: '2' }, T0);
    series.seed('room', { likes: '99' }, T0 + 1_000);
    expect(contents(series.histories.get(seriesID('room', 'likes'))!)).toEqual([[T0, 10]]);
    expect(contents(series.histories.get(seriesID('room', 'gifts'))!)).toEqual([[T0, 2]]);
  });

  it("keeps a group's series in the service's order, so each keeps its colour whichever update came first", () => {
    const series = useSeriesStore();
    series.ingest({ seq: 1, updates: [update('club', 'hearts', 1, T0), update('room', 'likes', 5, T0)] });
    series.seed('room', { viewers: '3', likes: '5', gifts: '1' }, T0);
    expect(series.known.map((known) => known.key)).toEqual(['hearts', 'viewers', 'likes', 'gifts']);
  });

  it('gives the change per minute over the last minute, null without two points', () => {
    const series = useSeriesStore();
    const likes = seriesID('room', 'likes');
    expect(series.ratePerMinute(likes, T0)).toBeNull();
    series.ingest({ seq: 1, updates: [update('room', 'likes', 100, T0)] });
    expect(series.ratePerMinute(likes, T0 + 1_000)).toBeNull();

    series.ingest({ seq: 2, updates: [update('room', 'likes', 130, T0 + 30_000)] });
    // 30 up over the 60 s since the first point.
    expect(series.ratePerMinute(likes, T0 + 60_000)).toBe(30);

    series.ingest({ seq: 3, updates: [update('room', 'likes', 250, T0 + 120_000)] });
    // Over the last minute: from 130 (the value held at T0+60 s) to 250.
    expect(series.ratePerMinute(likes, T0 + 120_000)).toBe(120);

    // Falling counters give a negative rate.
    series.ingest({ seq: 4, updates: [update('room', 'likes', 190, T0 + 150_000)] });
    expect(series.ratePerMinute(likes, T0 + 180_000)).toBe(-60);
  });

  it('plots every series of a group once, and toggles single ones', () => {
    const series = useSeriesStore();
    series.ingest({
      seq: 1,
      updates: [update('room', 'likes', 1, T0), update('other', 'hearts', 1, T0), update('room', 'gifts', 1, T0)],
    });
    series.plotGroup('room');
    expect(series.plotted).toEqual([seriesID('room', 'likes'), seriesID('room', 'gifts')]);
    series.plotGroup('room');
    expect(series.plotted).toEqual([seriesID('room', 'likes'), seriesID('room', 'gifts')]);

    series.togglePlotted(seriesID('room', 'likes'));
    expect(series.plotted).toEqual([seriesID('room', 'gifts')]);
    series.togglePlotted(seriesID('other', 'hearts'));
    expect(series.plotted).toEqual([seriesID('room', 'gifts'), seriesID('other', 'hearts')]);

    // A new counter of the group joins the plot on the next plotGroup, without repeating the others.
    series.togglePlotted(seriesID('room', 'likes'));
    series.ingest({ seq: 2, updates: [update('room', 'shares', 1, T0)] });
    series.plotGroup('room');
    expect(series.plotted).toEqual([
      seriesID('room', 'gifts'),
      seriesID('other', 'hearts'),
      seriesID('room', 'likes'),
      seriesID('room', 'shares'),
    ]);
  });
});

describe('event log store', () => {
  let at = T0;
  const batch = (seq: number, ...updates: [string, string, number][]): CounterBatch => ({
    seq,
    updates: updates.map(([groupID, key, value]) => update(groupID, key, value, (at += 10))),
  });

  beforeEach(() => {
    installFakeCountdeck();
    freshPinia();
  });

  it('shows the updates newest first, across and within batches', () => {
    const log = useEventLogStore();
    log.append(batch(1, ['room', 'likes', 1], ['room', 'likes', 2]));
    log.append(batch(2, ['room', 'gifts', 5]));
    expect(log.entries.map((entry) => [entry.key, entry.value])).toEqual([
      ['gifts', '5'],
      ['likes', '2'],
      ['likes', '1'],
    ]);
    expect(new Set(log.entries.map((entry) => entry.id)).size).toBe(3);
  });

  it(`keeps at most ${EVENT_LOG_SIZE} entries, the newest`, () => {
    const log = useEventLogStore();
    let value = 0;
    for (let seq = 1; seq <= 13; seq += 1) {
      log.append(batch(seq, ...Array.from({ length: 97 }, () => ['room', 'likes', (value += 1)] as [string, string, number])));
      expect(log.entries.length).toBeLessThanOrEqual(EVENT_LOG_SIZE);
    }
    expect(log.entries).toHaveLength(EVENT_LOG_SIZE);
    expect(log.entries[0]?.value).toBe(String(value));
    expect(log.entries.at(-1)?.value).toBe(String(value - EVENT_LOG_SIZE + 1));
  });

  it(`keeps the newest ${EVENT_LOG_SIZE} of a single oversized batch`, () => {
    const log = useEventLogStore();
    log.append(batch(1, ...Array.from({ length: EVENT_LOG_SIZE + 200 }, (_, i) => ['room', 'likes', i + 1] as [string, string, number])));
    expect(log.entries).toHaveLength(EVENT_LOG_SIZE);
    expect(log.entries[0]?.value).toBe(String(EVENT_LOG_SIZE + 200));
    expect(log.entries.at(-1)?.value).toBe('201');
  });

  it('filters by group or key, case-insensitively, newest first', () => {
    const log = useEventLogStore();
    log.append(batch(1, ['live-room', 'likes', 1], ['fan-club', 'hearts', 1], ['live-room', 'gifts', 1], ['fan-club', 'LIKES', 2]));

    log.filter = ' Likes ';
    expect(log.visible.map((entry) => `${entry.groupID}/${entry.key}`)).toEqual(['fan-club/LIKES', 'live-room/likes']);
    log.filter = 'FAN';
    expect(log.visible.map((entry) => `${entry.groupID}/${entry.key}`)).toEqual(['fan-club/LIKES', 'fan-club/hearts']);
    log.filter = 'nothing here';
    expect(log.visible).toEqual([]);
    log.filter = '';
    expect(log.visible).toHaveLength(4);
  });
});

describe('SeriesRing time order', () => {
  it('keeps points in time order when one arrives stamped earlier than the newest', () => {
    const ring = new SeriesRing(8);
    ring.push(1_000, 1);
    ring.push(2_000, 2);
    ring.push(1_500, 3);
    expect([ring.timeAt(0), ring.timeAt(1), ring.timeAt(2)]).toEqual([1_000, 2_000, 2_000]);
    expect(ring.valueAtTime(2_000)).toBe(3);
    expect(ring.indexFrom(1_500)).toBe(1);
  });
});
