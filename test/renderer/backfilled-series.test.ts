import { describe, expect, it } from 'vitest';
import type { KeyHistory } from '../../shared/types';
import { BackfilledSeries } from '../../renderer/src/lib/backfilled-series';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import { historyTiers, SeriesHistory } from '../../renderer/src/lib/series-history';
import type { SeriesPoints } from '../../renderer/src/lib/series-points';
import { historyRequests, storedPoints } from '../../renderer/src/lib/stored-history';
import { bucket, T0 } from './support/fake-countdeck';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** The live cache of a chart of 1, 5 and 30 minutes, as the series store builds it. */
const TIERS = historyTiers([MINUTE, 5 * MINUTE, 30 * MINUTE], 200, 4_096);

function contents(points: SeriesPoints): [number, number][] {
  return Array.from({ length: points.length }, (_, i) => [points.timeAt(i), points.valueAt(i)]);
}

function drawn(line: LineColumns): [number, number][] {
  return Array.from({ length: line.length }, (_, i) => [line.times[i]!, line.ys[i]!]);
}

/** Stored history of 5-minute buckets from `from`, read up to `to`. */
function stored(from: number, to: number, history: Partial<KeyHistory> = {}) {
  return storedPoints({ key: 'likes', before: '100', buckets: [], ...history }, from, to);
}

describe('storedPoints', () => {
  it('holds the value before the range at its start, then each bucket\'s extremes and last value inside it, in time order', () => {
    const from = T0;
    const points = storedPoints(
      {
        key: 'likes',
        before: '100',
        buckets: [
          bucket(from + 300_000, 300_000, 100, 160), // rose: lowest first, ended on its highest
          bucket(from + 600_000, 300_000, 120, 160, 120), // fell: highest first, ended on its lowest
          bucket(from + 900_000, 300_000, 90, 200, 150), // dipped, peaked, and ended between
          bucket(from + 1_200_000, 300_000, 150, 150, 150, 1), // one update
        ],
      },
      from,
      from + 1_500_000,
    );
    expect(Array.from(points.values)).toEqual([100, 100, 160, 160, 120, 90, 200, 150, 150]);
    expect(points.times[0]).toBe(from);
    for (let i = 1; i < points.length; i += 1) {
      expect(points.times[i]).toBeGreaterThan(points.times[i - 1]!);
      // Every point sits inside the bucket it stands for.
      expect(points.times[i]).toBeGreaterThan(points.bucketAt[i]!);
      expect(points.times[i]).toBeLessThan(points.bucketAt[i]! + points.spans[i]!);
    }
    expect(Array.from(points.spans)).toEqual([0, ...Array(8).fill(300_000)]);
    expect([points.from, points.to]).toEqual([from, from + 1_500_000]);
  });

  it("puts a bucket's last value at the time it came, and its extremes before it", () => {
    const points = storedPoints({ key: 'likes', before: null, buckets: [bucket(T0, 10_000, 1, 9, 4, 6, T0 + 6_000)] }, T0, T0 + 10_000);
    expect(Array.from(points.values)).toEqual([1, 9, 4]);
    expect(Array.from(points.times)).toEqual([T0 + 2_000, T0 + 4_000, T0 + 6_000]);
  });

  it('has no point at the start when nothing was stored before it', () => {
    const points = storedPoints({ key: 'likes', before: null, buckets: [bucket(T0 + 1_000, 1_000, 5, 5, 5, 1, T0 + 1_500)] }, T0, T0 + 2_000);
    expect(Array.from(points.values)).toEqual([5]);
    expect(points.times[0]).toBe(T0 + 1_500);
  });
});

describe('historyRequests', () => {
  it('reads each group once, at most 20 keys a read', () => {
    const series = [
      { groupID: 'room', key: 'likes' },
      { groupID: 'club', key: 'hearts' },
      ...Array.from({ length: 21 }, (_, i) => ({ groupID: 'room', key: `k${i}` })),
    ];
    const requests = historyRequests(series, T0, T0 + MINUTE, 400);
    expect(requests.map((request) => [request.groupID, request.keys.length])).toEqual([
      ['room', 20],
      ['room', 2],
      ['club', 1],
    ]);
    expect(requests[0]).toMatchObject({ from: T0, to: T0 + MINUTE, maxPoints: 400 });
  });
});

describe('BackfilledSeries', () => {
  it('reads the stored points before the first live one, then the live ones, as one series', () => {
    const line = new BackfilledSeries(new SeriesHistory(TIERS));
    const start = T0 + 20 * MINUTE;
    line.push(start, 300);
    line.push(start + SECOND, 301);
    // Stored: 24 minutes back, read up to a little after the live points began (they overlap).
    line.setStored(stored(T0 - 4 * MINUTE, start + 2 * SECOND, { buckets: [bucket(T0, 300_000, 100, 200, 200, 3, T0 + 200_000), bucket(start, 300_000, 290, 301)] }));

    expect(contents(line)).toEqual([
      [T0 - 4 * MINUTE, 100],
      [T0 + 100_000, 100],
      [T0 + 200_000, 200],
      [start, 300],
      [start + SECOND, 301],
    ]);
    // The stored bucket that holds the live start is left to the live points.
    expect(line.indexFrom(T0 + 150_000)).toBe(2);
    expect(line.indexFrom(start)).toBe(3);
    expect(line.valueAtTime(T0 + 250_000)).toBe(200);
    expect(line.valueAtTime(start + 10 * SECOND)).toBe(301);
    expect(line.valueAtTime(T0 - 5 * MINUTE)).toBeUndefined();
  });

  it('says where values come from buckets (≈ on the chart), exact between them, and the live resolution after', () => {
    const live = new SeriesHistory(TIERS);
    const line = new BackfilledSeries(live);
    line.push(T0 + 20 * MINUTE, 1);
    line.setStored(stored(T0 - MINUTE, T0 + 20 * MINUTE, { buckets: [bucket(T0, 300_000, 100, 200), bucket(T0 + 10 * MINUTE, 300_000, 1, 1, 1, 1)] }));

    expect(line.resolutionAt(T0 - 30 * SECOND)).toBe(0); // the value held at the start, exactly
    expect(line.resolutionAt(T0 + 10)).toBe(300_000); // inside the first bucket, before its first point
    expect(line.resolutionAt(T0 + 250_000)).toBe(300_000);
    expect(line.resolutionAt(T0 + 7 * MINUTE)).toBe(0); // between buckets: no update came, the value held is exact
    expect(line.resolutionAt(T0 + 12 * MINUTE)).toBe(300_000);
    expect(line.resolutionAt(T0 + 20 * MINUTE)).toBe(live.resolutionAt(T0 + 20 * MINUTE));
    expect(line.resolutionAt(T0 + 20 * MINUTE)).toBe(0);
  });

  it('is the live history alone until stored points come, and again without them', () => {
    const line = new BackfilledSeries(new SeriesHistory(TIERS));
    line.push(T0, 5);
    line.push(T0 + SECOND, 6);
    expect(contents(line)).toEqual([
      [T0, 5],
      [T0 + SECOND, 6],
    ]);
    line.setStored(stored(T0 - MINUTE, T0 + SECOND));
    expect(line.length).toBe(3);
    line.setStored(null);
    expect(contents(line)).toEqual([
      [T0, 5],
      [T0 + SECOND, 6],
    ]);
  });

  it('takes in more stored points as the live cache lets go of its oldest, never overlapping', () => {
    const line = new BackfilledSeries(new SeriesHistory(TIERS));
    const buckets = Array.from({ length: 12 }, (_, i) => bucket(T0 + i * 300_000, 300_000, i * 10, i * 10 + 5));
    line.push(T0, 0);
    line.setStored(stored(T0 - MINUTE, T0 + 60 * MINUTE, { buckets }));
    expect(line.length).toBe(2); // the value before, and the live point
    // An hour of live points, one a second: the cache keeps about the last half hour.
    for (let s = 1; s <= 3_600; s += 1) line.push(T0 + s * SECOND, Math.floor(s / 30));
    const firstLive = line.live.timeAt(0);
    expect(firstLive).toBeGreaterThan(T0 + 25 * MINUTE);
    const all = contents(line);
    const seam = all.findIndex(([time]) => time >= firstLive);
    expect(seam).toBeGreaterThan(10);
    for (let i = 1; i < all.length; i += 1) expect(all[i]![0]).toBeGreaterThanOrEqual(all[i - 1]![0]);
    expect(all.slice(0, seam).every(([time]) => time < firstLive)).toBe(true);
    expect(all.slice(seam)).toEqual(contents(line.live));
  });

  it('covers a window while its stored points reach the live ones, and asks to be read again once they do not', () => {
    const line = new BackfilledSeries(new SeriesHistory(TIERS));
    line.push(T0, 1);
    const from = T0 - 86_400_000;
    expect(line.covers(from)).toBe(false); // nothing read yet
    expect(line.covers(T0)).toBe(true); // the live points reach back far enough
    line.setStored(stored(from, T0 + SECOND));
    expect(line.covers(from + MINUTE)).toBe(true);
    expect(line.covers(from - MINUTE)).toBe(false); // a longer window than was read
    // An hour on, the live cache holds only the last half hour: the read ended before it.
    for (let s = 1; s <= 3_600; s += 1) line.push(T0 + s * SECOND, s);
    expect(line.covers(from + 3_600 * SECOND)).toBe(false);
  });
});

describe('LineColumns over a BackfilledSeries', () => {
  it('draws every bucket\'s lowest and highest value in front of the live points, from the value held at the start', () => {
    const line = new BackfilledSeries(new SeriesHistory(TIERS));
    const end = T0 + 24 * 60 * MINUTE;
    const start = end - 24 * 60 * MINUTE;
    line.push(end - 10 * SECOND, 5_000);
    line.push(end - 5 * SECOND, 5_010);
    // A spike to 9,000 stored hours ago, in a bucket that ended back at 1,200.
    line.setStored(storedPoints({ key: 'likes', before: '1000', buckets: [bucket(start + 3 * 3_600_000, 300_000, 1_000, 9_000, 1_200)] }, start, end - 10 * SECOND));
    const columns = new LineColumns();
    expect(columns.fill(line, start, end, 200, false)).toBe(true);
    const ys = drawn(columns).map(([, y]) => y);
    expect(ys[0]).toBe(1_000);
    expect(Math.max(...ys)).toBe(9_000);
    expect(ys).toContain(1_200);
    expect(ys.slice(-3)).toEqual([5_000, 5_010, 5_010]);
    // As change since the start: from the value held then, exactly.
    columns.fill(line, start, end, 200, true);
    expect(columns.base).toBe(1_000);
    expect(columns.high).toBe(8_000);
  });

  it('draws afresh when stored points arrive for a line it drew before, and folds later live points in as usual', () => {
    const line = new BackfilledSeries(new SeriesHistory(TIERS));
    const end = T0 + 10 * MINUTE;
    line.push(T0 + 9 * MINUTE, 50);
    const kept = new LineColumns();
    kept.fill(line, end - 30 * MINUTE, end, 200, false);
    expect(drawn(kept)).toEqual([
      [T0 + 9 * MINUTE, 50],
      [end, 50],
    ]);

    line.setStored(storedPoints({ key: 'likes', before: '10', buckets: [bucket(T0 - 5 * MINUTE, 10_000, 10, 40)] }, end - 30 * MINUTE, T0 + 9 * MINUTE));
    kept.fill(line, end - 30 * MINUTE, end, 200, false);
    expect(drawn(kept).map(([, y]) => y)).toEqual([10, 10, 40, 50, 50]);
    expect(drawn(kept)[0]![0]).toBe(end - 30 * MINUTE);
    expect(kept.changedFrom).toBe(0);

    for (let s = 1; s <= 30; s += 1) line.push(T0 + 9 * MINUTE + s * SECOND, 50 + s);
    kept.fill(line, end - 30 * MINUTE, end, 200, false);
    const fresh = new LineColumns();
    fresh.fill(line, end - 30 * MINUTE, end, 200, false);
    expect(drawn(kept)).toEqual(drawn(fresh));
  });
});
