import type { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import type { LinesFrame } from '../../renderer/src/lib/lines-frame';
import { geometryOf, LinesPainter, type DrawnLine, type PlotGeometry } from '../../renderer/src/lib/lines-picture';
import { SeriesRing } from '../../renderer/src/lib/series-ring';
import { chartOver, pairs } from './support/plot';

/** x over [0, 1,000] ms across pixels 40..440, y over [0, 100] from pixel 210 up to 10, at 2 device pixels per CSS pixel. */
const chart = chartOver({ x: [0, 1_000], y: [0, 100] });

/** A line over a ring of `points`, filled for the window [0, 1,000]; `more` pushes points and fills it again. */
function line(id: string, color: string, points: [number, number][]): DrawnLine & { more(added: [number, number][]): void } {
  const ring = new SeriesRing(64);
  const columns = new LineColumns();
  const more = (added: [number, number][]): void => {
    for (const [time, value] of added) ring.push(time, value);
    columns.fill(ring, 0, 1_000, 100, false);
  };
  more(points);
  return { id, columns, color, more };
}

const geometryOfItself = (geometry: PlotGeometry): PlotGeometry => geometry;

const whole = (painter: LinesPainter, lines: DrawnLine[], on: Chart = chart): LinesFrame => painter.picture(geometryOf(on), lines)!;

describe('LinesPainter: whole pictures', () => {
  it('places every point in CSS pixels on the scales, lines of one colour together', () => {
    const blue = line('a', '#00f', [
      [0, 0],
      [500, 50],
    ]);
    const red = line('b', '#f00', [[0, 100]]);
    const blueToo = line('c', '#00f', [[250, 25]]);
    const frame = whole(new LinesPainter(), [blue, red, blueToo]);
    expect(frame).toMatchObject({ width: 1_000, height: 500, ratio: 2, area: { left: 40, top: 10, right: 440, bottom: 210 }, stripFrom: null });
    expect([...frame.lineEnds]).toEqual([3, 5, 7]);
    expect(frame.colors).toEqual(['#00f', '#f00']);
    expect([...frame.colorEnds]).toEqual([2, 3]);
    // Each line runs from its first point to the right edge, at the value it holds there.
    expect(pairs(frame, 0, 3)).toEqual([
      [40, 210],
      [240, 110],
      [440, 110],
    ]);
    expect(pairs(frame, 3, 5)).toEqual([
      [140, 160],
      [440, 160],
    ]);
    expect(pairs(frame, 5, 7)).toEqual([
      [40, 10],
      [440, 10],
    ]);
  });

  it('has nothing to draw before the scales are laid out, and draws whole once they are', () => {
    const painter = new LinesPainter();
    const blue = line('a', '#00f', [[0, 0]]);
    const unlaid = { ...chart, scales: {} } as unknown as Chart;
    const frame = whole(painter, [blue], unlaid);
    expect([frame.coords.length, frame.lineEnds.length, frame.colors.length, frame.stripFrom]).toEqual([0, 0, 0, null]);
    expect(whole(painter, [blue])).toMatchObject({ stripFrom: null, colors: ['#00f'] });
  });

  it('sends nothing when the canvas already shows the lines', () => {
    const painter = new LinesPainter();
    const blue = line('a', '#00f', [[0, 0]]);
    whole(painter, [blue]);
    blue.more([]);
    expect(painter.picture(geometryOf(chart), [blue])).toBeNull();
  });

  /** A line whose new points change only its right end: a strip, unless something else forces a whole picture. */
  const rising = (): ReturnType<typeof line> =>
    line('a', '#00f', [
      [0, 0],
      [500, 50],
    ]);

  it.each<[string, (geometry: PlotGeometry) => PlotGeometry]>([
    ['nothing else changes (a strip, then)', geometryOfItself],
    ['the canvas takes a new size', (geometry) => ({ ...geometry, width: 1_200 })],
    ['the display has another pixel ratio', (geometry) => ({ ...geometry, ratio: 1 })],
    ['the plot area moves (wider tick labels)', (geometry) => ({ ...geometry, area: { ...geometry.area, left: 48 } })],
    ['the time axis moves on', (geometry) => ({ ...geometry, x: { ...geometry.x!, min: 10 } })],
    ['the value axis takes a new range', (geometry) => ({ ...geometry, y: { ...geometry.y!, slope: -1 } })],
  ])('draws whole when %s', (_, changed) => {
    const painter = new LinesPainter();
    const blue = rising();
    whole(painter, [blue]);
    blue.more([[900, 10]]);
    const stripFrom = painter.picture(changed(geometryOf(chart)), [blue])!.stripFrom;
    expect(stripFrom).toBe(changed === geometryOfItself ? 238 : null);
  });

  it('draws whole when the lines, their order or their colours change', () => {
    const painter = new LinesPainter();
    const blue = rising();
    const red = line('b', '#f00', [
      [0, 50],
      [500, 50],
    ]);
    whole(painter, [blue, red]);
    let time = 500;
    const again = (lines: DrawnLine[]): LinesFrame | null => {
      time += 50;
      for (const each of [blue, red]) each.more([[time, time / 10]]);
      return painter.picture(geometryOf(chart), lines);
    };
    expect(again([blue])).toMatchObject({ stripFrom: null });
    expect(again([blue, red])).toMatchObject({ stripFrom: null });
    expect(again([red, blue])).toMatchObject({ stripFrom: null });
    expect(again([red, { ...blue, color: '#0f0' }])).toMatchObject({ stripFrom: null });
    expect(again([red, { ...blue, color: '#0f0' }])).toMatchObject({ stripFrom: expect.any(Number) });
  });

  it('draws whole after forgetting what the canvas shows (a picture failed)', () => {
    const painter = new LinesPainter();
    const blue = rising();
    whole(painter, [blue]);
    painter.forget();
    blue.more([[900, 10]]);
    expect(painter.picture(geometryOf(chart), [blue])).toMatchObject({ stripFrom: null });
  });
});

describe('LinesPainter: strips', () => {
  it('redraws from a device pixel left of the segment into the first change, with every line from its last point before the strip', () => {
    const painter = new LinesPainter();
    const blue = line('a', '#00f', [
      [0, 0],
      [400, 40],
      [700, 70],
    ]);
    const red = line('b', '#f00', [
      [0, 100],
      [300, 80],
      [600, 60],
    ]);
    whole(painter, [blue, red]);
    blue.more([[800, 20]]);
    const strip = painter.picture(geometryOf(chart), [blue, red])!;
    // Blue's segment into its new point starts at 700 ms, pixel 320; the stroke reaches 2 px left of it.
    expect(strip.stripFrom).toBe(318);
    // Each line from its last point before the strip's reach: blue's segment from 400 ms ends in the
    // strip, at 320 px; red's last segment starts at 600 ms, 280 px.
    expect(pairs(strip, 0, strip.lineEnds[0]!)).toEqual([
      [200, 130],
      [320, 70],
      [360, 170],
      [440, 170],
    ]);
    expect(pairs(strip, strip.lineEnds[0]!, strip.lineEnds[1]!)).toEqual([
      [280, 90],
      [440, 90],
    ]);
    expect(strip.colors).toEqual(['#00f', '#f00']);
    expect(painter.picture(geometryOf(chart), [blue, red])).toBeNull();
  });

  /** Where the strip starts for a blue line of `points`, drawn whole, that then takes each of `added` in a fill of its own. */
  function stripAfter(points: [number, number][], ...added: [number, number][]): number | null {
    const painter = new LinesPainter();
    const blue = line('a', '#00f', points);
    whole(painter, [blue]);
    for (const point of added) blue.more([point]);
    return painter.picture(geometryOf(chart), [blue])!.stripFrom;
  }

  it('starts a strip on a device pixel edge', () => {
    // 701 ms is pixel 320.4, less 2: 318.4, down to the device pixel at 318.
    expect(
      stripAfter(
        [
          [0, 0],
          [701, 70],
        ],
        [800, 20],
      ),
    ).toBe(318);
  });

  it('collects changes until the next picture: the strip starts at the segment into the first of them', () => {
    const points: [number, number][] = [
      [0, 0],
      [400, 40],
    ];
    // The segment from 400 ms (200 px) leads into both points.
    expect(stripAfter(points, [900, 50], [950, 60])).toBe(198);
    expect(stripAfter(points, [950, 60])).toBe(198);
    // A change only at the line's end: from its last point before, at 900 ms (400 px).
    expect(stripAfter([...points, [900, 50]], [950, 60])).toBe(398);
  });

  it('draws whole when the change reaches the plot’s left edge', () => {
    const painter = new LinesPainter();
    const ring = new SeriesRing(8);
    const columns = new LineColumns();
    const green = { id: 'g', color: '#0f0', columns };
    ring.push(0, 5);
    columns.fill(ring, 0, 1_000, 100, false);
    whole(painter, [green]);
    // A second point at 0 ms changes the line from its first segment on.
    ring.push(0, 6);
    columns.fill(ring, 0, 1_000, 100, false);
    expect(painter.picture(geometryOf(chart), [green])).toMatchObject({ stripFrom: null });
  });
});

/** A line's segments in a frame, as [x0, y0, x1, y1]; the line of index `line` among `frame.lineEnds`. */
function segmentsOf(frame: LinesFrame, line: number): number[][] {
  const from = line === 0 ? 0 : frame.lineEnds[line - 1]!;
  const points = pairs(frame, from, frame.lineEnds[line]!);
  return points.slice(1).map((point, i) => [...points[i]!, ...point]);
}

describe('LinesPainter: a strip over the last picture is the new picture (property)', () => {
  it('clears every segment that changed and redraws every segment that reaches the strip', () => {
    let state = 5;
    const random = (): number => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
    const reach = 2;
    const colors = ['#00f', '#f00', '#0a0'];
    const rings = colors.map(() => new SeriesRing(256));
    const lines = colors.map((color, i) => ({ id: `s${i}`, color, columns: new LineColumns() }));
    const painter = new LinesPainter();
    let now = 0;
    let shown: LinesFrame | null = null;
    let strips = 0;
    for (let frame = 0; frame < 300; frame += 1) {
      for (const ring of rings) {
        for (let n = Math.floor(random() * 3); n > 0; n -= 1) ring.push(now + random() * 16, Math.round(random() * 100));
      }
      now += 16;
      // The axes stay for a while, as between moves of chart.js's scales, then move on.
      const end = 1_000 * Math.ceil((now + 1) / 1_000);
      const on = chartOver({ x: [end - 4_000, end], y: [0, 100] });
      lines.forEach((each, i) => each.columns.fill(rings[i]!, end - 4_000, end, 60, false));
      const picture = painter.picture(geometryOf(on), lines);
      const fresh = new LinesPainter().picture(geometryOf(on), lines)!;
      if (picture !== null && picture.stripFrom !== null) {
        strips += 1;
        const left = picture.stripFrom;
        expect(Number.isInteger(left * picture.ratio)).toBe(true);
        lines.forEach((_, i) => {
          const before = segmentsOf(shown!, i).map(String);
          const after = segmentsOf(fresh, i).map(String);
          // What was drawn and is gone, or is new, lies wholly in the strip, stroke and all.
          const changed = [...before.filter((segment) => !after.includes(segment)), ...after.filter((segment) => !before.includes(segment))];
          for (const segment of changed) expect(Number(segment.split(',')[0]) - reach).toBeGreaterThanOrEqual(left);
          // The strip strokes every segment of the new picture that reaches it, and nothing else.
          const reaching = after.filter((segment) => Number(segment.split(',')[2]) + reach >= left);
          const stripped = segmentsOf(picture, i).map(String);
          expect(stripped.filter((segment) => Number(segment.split(',')[2]) + reach >= left)).toEqual(reaching);
          expect(stripped.every((segment) => after.includes(segment))).toBe(true);
        });
      } else if (picture === null) {
        expect(fresh.coords).toEqual(shown!.coords);
      }
      if (picture !== null) shown = fresh;
    }
    expect(strips).toBeGreaterThan(150);
  });
});
