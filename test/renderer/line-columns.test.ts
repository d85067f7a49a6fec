import { describe, expect, it } from 'vitest';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import { SeriesRing } from '../../renderer/src/lib/series-ring';

function ringOf(points: [number, number][], capacity = 16_384): SeriesRing {
  const ring = new SeriesRing(capacity);
  for (const [time, value] of points) ring.push(time, value);
  return ring;
}

function drawn(line: LineColumns): [number, number][] {
  return Array.from({ length: line.length }, (_, i) => [line.times[i]!, line.ys[i]!]);
}

/** A seeded walk onto `ring`: each step pushes fewer than `most` points, each up to `gap` ms after the last and a few units off it. */
function randomWalk(seed: number, ring: SeriesRing) {
  let state = seed;
  const random = (): number => (state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
  let value = 0;
  const walk = {
    now: 0,
    random,
    step(most: number, gap: number): void {
      for (let n = Math.floor(random() * most); n > 0; n -= 1) {
        walk.now += random() * gap;
        value += Math.round((random() - 0.5) * 20);
        ring.push(walk.now, value);
      }
    },
  };
  return walk;
}

describe('LineColumns', () => {
  const sparse: [number, number][] = [
    [0, 10],
    [100, 20],
    [200, 15],
    [300, 30],
  ];

  it('keeps every point when each column holds at most two, from the value held at the start to now', () => {
    const line = new LineColumns();
    expect(line.fill(ringOf(sparse), 50, 1_000, 10, false)).toBe(true);
    expect(drawn(line)).toEqual([
      [50, 10],
      [100, 20],
      [200, 15],
      [300, 30],
      [1_000, 30],
    ]);
    expect([line.low, line.high, line.base]).toEqual([10, 30, 0]);
  });

  it('plots change as the distance from the value held at the window start', () => {
    const line = new LineColumns();
    line.fill(ringOf(sparse), 150, 1_000, 10, true);
    expect(line.base).toBe(20);
    expect(drawn(line)).toEqual([
      [150, 0],
      [200, -5],
      [300, 10],
      [1_000, 10],
    ]);
    expect([line.low, line.high]).toEqual([-5, 10]);
  });

  it('reduces a dense line to each column’s lowest and highest point, in time order, losing no spike', () => {
    const points: [number, number][] = Array.from({ length: 10_000 }, (_, i) => [i, i % 7]);
    points[4_321]![1] = 1_000_000;
    points[8_765]![1] = -1_000_000;
    const line = new LineColumns();
    line.fill(ringOf(points), 0, 10_000, 20, false);
    expect(line.length).toBeLessThanOrEqual(2 * 20 + 2);
    const ys = drawn(line).map(([, y]) => y);
    expect(ys).toContain(1_000_000);
    expect(ys).toContain(-1_000_000);
    expect([line.low, line.high]).toEqual([-1_000_000, 1_000_000]);
    const times = drawn(line).map(([time]) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)).toBe(10_000);
  });

  it('is reused frame after frame: a later fill replaces the earlier one whatever their sizes', () => {
    const line = new LineColumns();
    const dense: [number, number][] = Array.from({ length: 5_000 }, (_, i) => [i, Math.sin(i) * 100]);
    line.fill(ringOf(dense), 0, 5_000, 200, false);
    expect(line.length).toBeGreaterThan(300);
    line.fill(ringOf(sparse), 50, 1_000, 10, false);
    expect(drawn(line)).toHaveLength(5);
    expect([line.low, line.high]).toEqual([10, 30]);
  });

  // With room for the whole window, and with a ring so small it lets go of points inside the window.
  it.each([2_048, 256])('folds in only new points frame after frame, drawing what a fresh reduction draws (ring of %i)', (capacity) => {
    const ring = new SeriesRing(capacity);
    const walk = randomWalk(7, ring);
    const kept = new LineColumns();
    for (let frame = 0; frame < 300; frame += 1) {
      walk.step(40, 30);
      const now = (walk.now += 16);
      const start = Math.max(0, now - 20_000);
      const change = frame % 2 === 0;
      kept.fill(ring, start, now, 100, change);
      const fresh = new LineColumns();
      fresh.fill(ring, start, now, 100, change);
      expect(drawn(kept)).toEqual(drawn(fresh));
      expect([kept.base, kept.low, kept.high]).toEqual([fresh.base, fresh.low, fresh.high]);
      const times = drawn(kept).map(([time]) => time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeGreaterThanOrEqual(Math.max(start, ring.timeAt(0)));
    }
  });

  it('marks where a line differs from the one last drawn: only its end when a point arrives late in the window', () => {
    const ring = ringOf(sparse);
    const line = new LineColumns();
    line.fill(ring, 50, 1_000, 10, false);
    expect(line.changedFrom).toBe(0);
    line.markDrawn();
    line.fill(ring, 50, 1_000, 10, false);
    expect(line.changedFrom).toBe(Infinity);
    ring.push(800, 40);
    line.fill(ring, 50, 1_000, 10, false);
    // [50, 10] [100, 20] [200, 15] [300, 30] stay; [1000, 30] became [800, 40] [1000, 40].
    expect(line.changedFrom).toBe(4);
    expect(drawn(line).slice(4)).toEqual([
      [800, 40],
      [1_000, 40],
    ]);
  });

  it('marks a line cut short from its new last point, which no longer leads on', () => {
    const ring = ringOf(sparse);
    const line = new LineColumns();
    line.fill(ring, 50, 1_000, 10, false);
    line.markDrawn();
    // Ending at the newest point, the line is the one drawn without its flat run to 1,000.
    line.fill(ring, 50, 300, 10, false);
    expect(drawn(line)).toEqual([
      [50, 10],
      [100, 20],
      [200, 15],
      [300, 30],
    ]);
    expect(line.changedFrom).toBe(4);
  });

  it('keeps every point before the mark as drawn, over fills of moving windows and scales (property)', () => {
    const ring = new SeriesRing(512);
    const walk = randomWalk(11, ring);
    const line = new LineColumns();
    let asDrawn: [number, number][] = [];
    let marksAtEnd = 0;
    for (let frame = 0; frame < 400; frame += 1) {
      walk.step(6, 40);
      // Mostly a still window, as between moves of the axes; now and then it moves or the scale changes.
      const end = 1_000 * Math.ceil((walk.now + 1) / 1_000);
      line.fill(ring, Math.max(0, end - 8_000), end, 40, frame % 97 < 60);
      const points = drawn(line);
      const kept = Math.min(line.changedFrom, points.length);
      expect(points.slice(0, kept)).toEqual(asDrawn.slice(0, kept));
      if (line.changedFrom === Infinity) expect(points).toEqual(asDrawn);
      if (line.changedFrom >= points.length - 4) marksAtEnd += 1;
      if (walk.random() < 0.5) {
        line.markDrawn();
        asDrawn = points;
      }
    }
    // The mark is no blanket "redraw it all": most of the time only the end of the line changed.
    expect(marksAtEnd).toBeGreaterThan(200);
  });

  it('draws nothing for an empty series', () => {
    const line = new LineColumns();
    expect(line.fill(new SeriesRing(8), 0, 1_000, 10, true)).toBe(false);
    expect(line.length).toBe(0);
  });
});
