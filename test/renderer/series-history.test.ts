import { describe, expect, it } from 'vitest';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import { historyTiers, SeriesHistory, type HistoryTier } from '../../renderer/src/lib/series-history';

/** The series store's tiers: the chart windows (1 min, 5 min, 30 min, all), 200 columns, 4,096 recent points. */
const CHART_TIERS = historyTiers([60_000, 300_000, 1_800_000, Infinity], 200, 4_096);

/**
 * The same shape scaled down about sixty times (windows of 1 s, 5 s and 30 s, 20 columns, 64 recent
 * points), so a random walk crosses every tier many times over in a few thousand points.
 */
const SMALL_TIERS = historyTiers([1_000, 5_000, 30_000, Infinity], 20, 64);

/** Points read by index, oldest first: a history, or the plain arrays of everything pushed. */
interface Points {
  readonly length: number;
  timeAt(i: number): number;
  valueAt(i: number): number;
}

/** Every point pushed, as the history should have taken it: the reference a history is checked against. */
class Pushed implements Points {
  readonly times: number[] = [];
  readonly values: number[] = [];

  get length(): number {
    return this.times.length;
  }

  timeAt(i: number): number {
    return this.times[i]!;
  }

  valueAt(i: number): number {
    return this.values[i]!;
  }

  /** Pushes to `history` too; a time before the newest counts as the newest's, as the history documents. */
  push(history: SeriesHistory, time: number, value: number): void {
    history.push(time, value);
    const newest = this.times.at(-1);
    this.times.push(newest === undefined ? time : Math.max(time, newest));
    this.values.push(value);
  }
}

/** A seeded LCG, so a failing property test fails the same way every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
}

function contents(points: Points): [number, number][] {
  return Array.from({ length: points.length }, (_, i) => [points.timeAt(i), points.valueAt(i)]);
}

function drawn(line: LineColumns): [number, number][] {
  return Array.from({ length: line.length }, (_, i) => [line.times[i]!, line.ys[i]!]);
}

/** The first index whose time is at or after `time` (written out here rather than trusting `indexFrom`, which is under test). */
function firstFrom(points: Points, time: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (points.timeAt(middle) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The value of the last point before `time`, or undefined. */
function heldBefore(points: Points, time: number): number | undefined {
  const index = firstFrom(points, time) - 1;
  return index >= 0 ? points.valueAt(index) : undefined;
}

/** [column, lowest, highest] of each column of `width` (column k covers [k·width, (k+1)·width)) with points in [from, to]. */
function columnExtremes(points: Points, from: number, to: number, width: number): [number, number, number][] {
  const columns: [number, number, number][] = [];
  for (let i = firstFrom(points, from); i < points.length && points.timeAt(i) <= to; i += 1) {
    const column = Math.floor(points.timeAt(i) / width);
    const value = points.valueAt(i);
    const last = columns.at(-1);
    if (last !== undefined && last[0] === column) {
      last[1] = Math.min(last[1], value);
      last[2] = Math.max(last[2], value);
    } else columns.push([column, value, value]);
  }
  return columns;
}

function capacityOf(tiers: readonly HistoryTier[]): number {
  return tiers.reduce((sum, tier) => sum + tier.capacity, 0);
}

/**
 * For the window of each merged tier's span ending at the newest point, in columns of the tier's
 * bucket width and of two and four times it: each column's lowest and highest value read from the
 * history are those of every point pushed. That is what lets a chart draw a window from the
 * history as it would from everything.
 */
function expectColumnsKept(history: SeriesHistory, pushed: Pushed, tiers: readonly HistoryTier[]): void {
  const newest = history.timeAt(history.length - 1);
  for (const tier of tiers) {
    if (tier.bucketMs === 0) continue;
    for (const width of [tier.bucketMs, 2 * tier.bucketMs, 4 * tier.bucketMs]) {
      // Only whole columns are promised: the column holding the window's start also holds points from
      // before it, merged into buckets that straddle the start (a bucket keeps the extremes of all its
      // points, which may lie before the start) or let go by the oldest tier.
      const from = (Math.floor((newest - tier.spanMs) / width) + 1) * width;
      expect(columnExtremes(history, from, newest, width), `span ${tier.spanMs}, width ${width}`).toEqual(
        columnExtremes(pushed, from, newest, width),
      );
    }
  }
}

/**
 * At each merged tier's bucket boundaries within its span, the value held just before the boundary
 * (`valueAtTime(b - 1)` counts points before `b`) is the last one pushed before it: a bucket always
 * keeps its last point. From the first tier's oldest point on, every point is there as pushed, so
 * the value held at any time is exact.
 */
function expectValuesHeld(history: SeriesHistory, pushed: Pushed, tiers: readonly HistoryTier[], random: () => number): void {
  const newest = history.timeAt(history.length - 1);
  for (const tier of tiers) {
    if (tier.bucketMs === 0) continue;
    for (let boundary = (Math.floor((newest - tier.spanMs) / tier.bucketMs) + 1) * tier.bucketMs; boundary <= newest; boundary += tier.bucketMs) {
      expect(history.valueAtTime(boundary - 1), `boundary ${boundary} of span ${tier.spanMs}`).toBe(heldBefore(pushed, boundary));
    }
  }
  const recent = history.pushed - history.firstIntact;
  const oldestRecent = history.timeAt(history.length - recent);
  for (let n = 0; n < 20; n += 1) {
    const time = oldestRecent + random() * (newest + 50 - oldestRecent);
    expect(history.valueAtTime(time), `time ${time}`).toBe(heldBefore(pushed, time + 1));
  }
}

/**
 * A random walk at irregular integer times: runs at various paces (a slow trickle, a few points a
 * millisecond, several at the same millisecond), the odd long silence, and one-point spikes, so
 * that the first tier sometimes overflows into the merged ones and sometimes just ages out.
 */
function* randomWalk(random: () => number, count: number): Generator<[number, number]> {
  let time = 0;
  let value = 0;
  let pace = 10;
  for (let i = 0; i < count; i += 1) {
    if (random() < 0.01) pace = [0.7, 2, 10, 40, 300][Math.floor(random() * 5)]!;
    time += Math.floor(random() * 2 * pace);
    if (random() < 0.002) time += Math.floor(random() * 40_000);
    value += Math.round((random() - 0.5) * 20);
    yield [time, random() < 0.01 ? value + Math.round((random() - 0.5) * 2_000) : value];
  }
}

describe('historyTiers', () => {
  it('keeps every point of the shortest window, then merges each window into buckets as wide as its narrowest column', () => {
    const windows = [60_000, 300_000, 1_800_000];
    expect(CHART_TIERS[0]).toEqual({ spanMs: 60_000, bucketMs: 0, capacity: 4_096 });
    const merged = CHART_TIERS.slice(1);
    expect(merged.map((tier) => tier.spanMs)).toEqual(windows);
    expect(merged.map((tier) => tier.bucketMs)).toEqual([512, 2_048, 16_384]);
    for (const tier of merged) {
      // The smallest power of two at least a 200th of the window: a column of that window is whole buckets.
      expect(Number.isInteger(Math.log2(tier.bucketMs))).toBe(true);
      expect(tier.bucketMs).toBeGreaterThanOrEqual(tier.spanMs / 200);
      expect(tier.bucketMs / 2).toBeLessThan(tier.spanMs / 200);
      // A span touches at most ⌈span/bucket⌉ + 1 buckets, each keeping up to 3 points, and the oldest tier
      // holds one more from before its span; the room is that, and not much more.
      const buckets = Math.ceil(tier.spanMs / tier.bucketMs) + 1;
      expect(tier.capacity).toBeGreaterThanOrEqual(3 * buckets + 1);
      expect(tier.capacity).toBeLessThanOrEqual(3 * (buckets + 1));
    }
  });

  it('takes the windows in any order, leaving out the unbounded one', () => {
    expect(historyTiers([Infinity, 1_800_000, 60_000, 300_000], 200, 4_096)).toEqual(CHART_TIERS);
  });
});

describe('SeriesHistory', () => {
  it('starts empty', () => {
    const history = new SeriesHistory(SMALL_TIERS);
    expect([history.length, history.pushed, history.firstIntact]).toEqual([0, 0, 0]);
    expect(history.valueAtTime(1_000)).toBeUndefined();
    expect(history.indexFrom(0)).toBe(0);
  });

  it('tells how finely points are kept at a time: every point in the first tier, buckets further back', () => {
    const history = new SeriesHistory(CHART_TIERS);
    expect(history.resolutionAt(0)).toBe(0);
    // A young series: everything, and anything before it, is as fine as its first tier.
    for (let second = 0; second < 30; second += 1) history.push(second * 1_000, second);
    expect([history.resolutionAt(-60_000), history.resolutionAt(10_000)]).toEqual([0, 0]);
    // Twenty minutes on: the last minute is point by point, then 2,048 ms buckets, then 16,384 ms ones.
    for (let second = 30; second < 1_200; second += 1) history.push(second * 1_000, second);
    const newest = 1_199_000;
    expect(history.resolutionAt(newest - 30_000)).toBe(0);
    expect(history.resolutionAt(newest - 120_000)).toBe(2_048);
    expect(history.resolutionAt(newest - 600_000)).toBe(16_384);
    expect(history.resolutionAt(-1)).toBe(16_384);
  });

  it('takes a point stamped before the newest as the newest’s time, keeping time order', () => {
    const history = new SeriesHistory(SMALL_TIERS);
    history.push(1_000, 1);
    history.push(400, 2);
    history.push(1_200, 3);
    history.push(1_100, 4);
    expect(contents(history)).toEqual([
      [1_000, 1],
      [1_000, 2],
      [1_200, 3],
      [1_200, 4],
    ]);
    // Also once the older points have been merged away into the other tiers.
    for (let i = 0; i < 5_000; i += 1) history.push(1_200 + i * 7, i);
    const newest = history.timeAt(history.length - 1);
    history.push(0, -1);
    expect([history.timeAt(history.length - 1), history.valueAt(history.length - 1)]).toEqual([newest, -1]);
    const times = contents(history).map(([time]) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('keeps a quiet series back to the longest window in a fraction of the points, reading back consistently', () => {
    // One point a second for two hours: 7,200 points, 1,800 of them in the 30-minute window.
    const random = lcg(11);
    const history = new SeriesHistory(CHART_TIERS);
    const values: number[] = [];
    let value = 0;
    let mostAllocated = 0;
    for (let second = 0; second <= 7_200; second += 1) {
      value += Math.round((random() - 0.5) * 10);
      values.push(value);
      history.push(second * 1_000, value);
      mostAllocated = Math.max(mostAllocated, history.allocated);
      expect(history.pushed).toBe(second + 1);
      if (second % 600 !== 0 || second < 1_800) continue;
      // Once older than 30 minutes, the oldest point held is the one held at the longest window's start:
      // at or before it, and at most a bucket of the oldest tier (and the second between points) before.
      const newest = second * 1_000;
      expect(history.timeAt(history.length - 1)).toBe(newest);
      expect(history.timeAt(0)).toBeLessThanOrEqual(newest - 1_800_000);
      expect(history.timeAt(0)).toBeGreaterThanOrEqual(newest - 1_800_000 - 16_384 - 1_000);
      expect(history.timeAt(1)).toBeGreaterThan(newest - 1_800_000);
    }
    const held = contents(history);
    // Each point held is one pushed, at its own time, in time order.
    for (const [i, [time, value]] of held.entries()) {
      expect(value).toBe(values[time / 1_000]);
      if (i > 0) expect(time).toBeGreaterThan(held[i - 1]![0]);
      expect(history.indexFrom(time)).toBe(i);
      expect(history.indexFrom(time + 1)).toBe(i + 1);
      expect(history.valueAtTime(time)).toBe(value);
      expect(history.valueAtTime(time + 999)).toBe(value);
    }
    expect(history.valueAtTime(held[0]![0] - 1)).toBeUndefined();
    expect(history.indexFrom(7_200_001)).toBe(history.length);
    // Every point of the last minute is there as pushed.
    for (let time = 7_200_000 - 60_000; time <= 7_200_000; time += 250) {
      expect(history.valueAtTime(time)).toBe(values[Math.floor(time / 1_000)]);
    }
    expect(history.pushed - history.firstIntact).toBe(61);
    // Keeping every point of 30 minutes would take 1,800; merging keeps well under that, and storage follows.
    expect(history.length).toBeLessThan(1_800 / 2);
    expect(mostAllocated).toBeLessThan(1_800 * 0.6);
    expect(mostAllocated).toBeLessThanOrEqual(capacityOf(CHART_TIERS));
  });

  it('keeps every point at its own time across a silence longer than a window', () => {
    // Ten minutes at a point a second, then silence until minute 20: the points of the last minute and
    // the last five age out of their tiers at once. Older ones must still come before newer ones, each at
    // the time it was pushed, not pushed behind newer ones and restamped.
    const history = new SeriesHistory(CHART_TIERS);
    for (let second = 0; second <= 600; second += 1) history.push(second * 1_000, second);
    history.push(1_200_000, -1);
    const held = contents(history);
    expect(held.at(-1)).toEqual([1_200_000, -1]);
    expect(held.slice(0, -1).filter(([time, value]) => value !== time / 1_000)).toEqual([]);
    const times = held.map(([time]) => time);
    expect(new Set(times).size).toBe(times.length);
    // The 30-minute window reaches back before the first point, so every bucket of the oldest tier is
    // there, holding at its end the last value pushed in it.
    for (let boundary = 16_384; boundary <= 600_000; boundary += 16_384) {
      expect(history.valueAtTime(boundary - 1)).toBe(Math.floor((boundary - 1) / 1_000));
    }
  });

  it('merges a bucket into its lowest, highest and last point, older points first, even when a tier is skipped over', () => {
    // Four recent points: the fifth pushes (0, 0) into the 64 ms buckets; (1 500, 5) then pushes out (1, 1)
    // and ages out the rest, all older than the 1 s span. Every point ends in bucket 0 of 256 ms.
    const history = new SeriesHistory(historyTiers([1_000, 5_000, 30_000, Infinity], 20, 4));
    for (const [time, value] of [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [1_500, 5],
    ] as const) {
      history.push(time, value);
    }
    expect(contents(history)).toEqual([
      [0, 0],
      [4, 4],
      [1_500, 5],
    ]);
    expect(history.valueAtTime(255)).toBe(4);
  });

  it('keeps a fast series back to the longest window within the tiers’ room', () => {
    // 500 points a second for 35 minutes: over a million points, where keeping 30 minutes would take 900,000.
    const random = lcg(5);
    const history = new SeriesHistory(CHART_TIERS);
    const pushed = new Pushed();
    const room = capacityOf(CHART_TIERS);
    let value = 0;
    for (let i = 0; i < 500 * 60 * 35; i += 1) {
      value += Math.round((random() - 0.5) * 10);
      pushed.push(history, i * 2, value);
      if (i % 1_000 === 0) {
        expect(history.length).toBeLessThanOrEqual(room);
        expect(history.allocated).toBeLessThanOrEqual(room);
      }
    }
    const newest = history.timeAt(history.length - 1);
    expect(newest).toBe(pushed.times.at(-1));
    expect(history.pushed).toBe(pushed.length);
    expect(history.length).toBeLessThanOrEqual(room);
    expect(history.allocated).toBeLessThanOrEqual(room);
    expect(history.timeAt(0)).toBeLessThanOrEqual(newest - 1_800_000);
    expect(history.timeAt(0)).toBeGreaterThanOrEqual(newest - 1_800_000 - 16_384);
    // Every column of the 30-minute window has its points (none were lost for room), with their extremes.
    const from = (Math.floor((newest - 1_800_000) / 16_384) + 1) * 16_384;
    expect(columnExtremes(history, from, newest, 16_384)).toHaveLength(Math.floor(newest / 16_384) - from / 16_384 + 1);
    expectColumnsKept(history, pushed, CHART_TIERS);
    // The first tier is full, and its points are the last 4,096 pushed.
    expect(history.pushed - history.firstIntact).toBe(4_096);
    expect(contents(history).slice(-4_096)).toEqual(contents(pushed).slice(-4_096));
  });

  /** Pushes a random walk, running `check` every hundred points or so. */
  function walkChecking(seed: number, check: (history: SeriesHistory, pushed: Pushed, random: () => number) => void): void {
    const random = lcg(seed);
    const history = new SeriesHistory(SMALL_TIERS);
    const pushed = new Pushed();
    let next = 0;
    for (const [time, value] of randomWalk(random, 20_000)) {
      pushed.push(history, time, value);
      if (pushed.length < next) continue;
      next = pushed.length + 1 + Math.floor(random() * 100);
      check(history, pushed, random);
    }
  }

  it.each([1, 2, 3])('draws each window’s columns from its tier as from every point pushed (random walk %i)', (seed) => {
    walkChecking(seed, (history, pushed) => expectColumnsKept(history, pushed, SMALL_TIERS));
  });

  it.each([4, 5, 6])('holds the value pushed at bucket boundaries and throughout the first tier (random walk %i)', (seed) => {
    walkChecking(seed, (history, pushed, random) => expectValuesHeld(history, pushed, SMALL_TIERS, random));
  });

  it('counts every push, and reads back the points of the first tier exactly as the last ones pushed', () => {
    const random = lcg(9);
    const history = new SeriesHistory(SMALL_TIERS);
    const pushed = new Pushed();
    const [first] = SMALL_TIERS;
    let overflowed = 0;
    let agedOut = 0;
    for (const [time, value] of randomWalk(random, 10_000)) {
      pushed.push(history, time, value);
      expect(history.pushed).toBe(pushed.length);
      const recent = history.pushed - history.firstIntact;
      // The first tier holds the newest points: those of its span, or as many as it has room for.
      const ofSpan = pushed.length - firstFrom(pushed, time - first!.spanMs);
      expect(recent).toBe(Math.min(first!.capacity, ofSpan));
      if (ofSpan > first!.capacity) overflowed += 1;
      else agedOut += 1;
      // The newest point read back otherwise than pushed, counted back from 1 (0 when all match).
      let differs = 0;
      for (let back = recent; back >= 1; back -= 1) {
        const [i, j] = [history.length - back, pushed.length - back];
        if (history.timeAt(i) !== pushed.timeAt(j) || history.valueAt(i) !== pushed.valueAt(j)) differs = back;
      }
      expect(differs, `push ${pushed.length}`).toBe(0);
      expect(history.length).toBeLessThanOrEqual(capacityOf(SMALL_TIERS));
    }
    // The walk both overflowed the first tier and let points age out of it.
    expect(overflowed).toBeGreaterThan(100);
    expect(agedOut).toBeGreaterThan(100);
  });
});

describe('LineColumns on a SeriesHistory', () => {
  /**
   * Tiers of 64 recent points over 1 s, then buckets of 32 ms over 1 s and of 256 ms over 10 s. Some
   * windows ask for columns narrower than the buckets they reach (20 ms for 1 s in 50 columns, 32 ms
   * for 10 s in 300, 64 ms for 3 s in 50): the line then takes columns as wide as the buckets at its
   * start, so a column is whole buckets and its extremes are the same read from merged points as
   * from the points a kept line folded in as they arrived.
   */
  const tiers = historyTiers([1_000, 10_000], 50, 64);
  const windows = [
    { span: 1_000, columns: 50 },
    { span: 10_000, columns: 50 },
    { span: 10_000, columns: 25 },
    { span: 10_000, columns: 300 },
    { span: 3_000, columns: 50 },
  ];

  it('has tiers whose buckets the chosen columns are made of', () => {
    expect(tiers.map((tier) => tier.bucketMs)).toEqual([0, 32, 256]);
  });

  it('folds in only new points frame after frame, drawing what a fresh reduction of the history draws', () => {
    const random = lcg(7);
    const history = new SeriesHistory(tiers);
    const kept = windows.map(() => new LineColumns());
    let now = 0;
    let value = 0;
    let burstsPastFolded = 0;
    let lastPushed = 0;
    for (let frame = 0; frame < 1_000; frame += 1) {
      // Mostly a few points a frame; now and then a burst bigger than the first tier, pushing points into
      // the merged tiers before a frame folded them in; now and then a silence longer than the first tier's span.
      const burst = random() < 0.05;
      const count = burst ? 65 + Math.floor(random() * 250) : Math.floor(random() * 20);
      for (let n = 0; n < count; n += 1) {
        now += burst ? random() * 2 : random() * 30;
        value += Math.round((random() - 0.5) * 20);
        history.push(now, random() < 0.01 ? value + 500 : value);
      }
      if (random() < 0.01) now += 1_500;
      now += 16;
      if (history.firstIntact > lastPushed) burstsPastFolded += 1;
      lastPushed = history.pushed;
      const change = frame % 2 === 0;
      for (const [w, { span, columns }] of windows.entries()) {
        const start = now - span;
        const line = kept[w]!;
        line.fill(history, start, now, columns, change);
        const fresh = new LineColumns();
        fresh.fill(history, start, now, columns, change);
        expect(drawn(line), `frame ${frame}, span ${span}, ${columns} columns`).toEqual(drawn(fresh));
        expect([line.base, line.low, line.high]).toEqual([fresh.base, fresh.low, fresh.high]);
        const times = drawn(line).map(([time]) => time);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times[0]).toBeGreaterThanOrEqual(Math.max(start, history.timeAt(0)));
      }
    }
    // Points did leave the first tier unfolded, and often: the path under test was taken.
    expect(burstsPastFolded).toBeGreaterThan(20);
  });
});
