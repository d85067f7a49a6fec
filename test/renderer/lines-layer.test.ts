import type { Chart } from 'chart.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import { strokeLines, type LinesFrame } from '../../renderer/src/lib/lines-frame';
import { linesFrame, LinesLayer, type DrawnLine } from '../../renderer/src/lib/lines-layer';
import { SeriesRing } from '../../renderer/src/lib/series-ring';

/** A linear scale as chart.js lays one out: `min` at pixel `from`, `max` at pixel `to`. */
function scale(min: number, max: number, from: number, to: number) {
  return { min, max, getPixelForValue: (value: number) => from + ((value - min) * (to - from)) / (max - min) };
}

/** A chart with x over [0, 1,000] ms across pixels 40..440 and y over [0, 100] from pixel 210 up to 10. */
const chart = {
  canvas: { width: 1_000, height: 500 },
  chartArea: { left: 40, top: 10, right: 440, bottom: 210 },
  currentDevicePixelRatio: 2,
  scales: { x: scale(0, 1_000, 40, 440), y: scale(0, 100, 210, 10) },
} as unknown as Chart;

function line(id: string, color: string, points: [number, number][]): DrawnLine {
  const ring = new SeriesRing(64);
  for (const [time, value] of points) ring.push(time, value);
  const columns = new LineColumns();
  columns.fill(ring, 0, 1_000, 100, false);
  return { id, columns, color };
}

const blue = line('a', '#00f', [
  [0, 0],
  [500, 50],
]);
const red = line('b', '#f00', [[0, 100]]);
const blueToo = line('c', '#00f', [[250, 25]]);

/** The pairs of `coords` from point `from` up to `to`. */
const pairs = (frame: LinesFrame, from: number, to: number): number[][] =>
  Array.from({ length: to - from }, (_, i) => [frame.coords[2 * (from + i)]!, frame.coords[2 * (from + i) + 1]!]);

describe('linesFrame', () => {
  it('places every point in CSS pixels on the scales, lines of one colour together', () => {
    const frame = linesFrame(chart, [blue, red, blueToo]);
    expect(frame).toMatchObject({ width: 1_000, height: 500, ratio: 2, area: { left: 40, top: 10, right: 440, bottom: 210 } });
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

  it('has nothing to draw before the scales are laid out', () => {
    const unlaid = { ...chart, scales: {} } as unknown as Chart;
    const frame = linesFrame(unlaid, [blue]);
    expect([frame.coords.length, frame.lineEnds.length, frame.colors.length]).toEqual([0, 0, 0]);
  });
});

/** Records what is drawn on it. */
function recordingContext(width: number, height: number) {
  const calls: string[] = [];
  const canvas = { width, height };
  const context = {
    canvas,
    set strokeStyle(color: string) {
      calls.push(`colour ${color}`);
    },
    clearRect: (...args: number[]) => calls.push(`clear ${args.join(' ')}`),
    moveTo: (x: number, y: number) => calls.push(`move ${x} ${y}`),
    lineTo: (x: number, y: number) => calls.push(`line ${x} ${y}`),
    stroke: () => calls.push('stroke'),
    setTransform: (...args: number[]) => calls.push(`transform ${args.join(' ')}`),
    rect: (...args: number[]) => calls.push(`clip to ${args.join(' ')}`),
    beginPath: () => calls.push('path'),
    clip: () => undefined,
    save: () => undefined,
    restore: () => undefined,
  };
  return { calls, canvas, context: context as unknown as OffscreenCanvasRenderingContext2D };
}

describe('strokeLines', () => {
  it('clears the canvas, scales to device pixels, clips to the plot and strokes each colour once', () => {
    const { calls, context } = recordingContext(1_000, 500);
    strokeLines(context, linesFrame(chart, [blue, red, blueToo]));
    expect(calls).toEqual([
      'clear 0 0 1000 500',
      'transform 2 0 0 2 0 0',
      'path',
      'clip to 40 10 400 200',
      'path',
      'colour #00f',
      'move 40 210',
      'line 240 110',
      'line 440 110',
      'move 140 160',
      'line 440 160',
      'stroke',
      'path',
      'colour #f00',
      'move 40 10',
      'line 440 10',
      'stroke',
    ]);
  });

  it('takes the size of the frame, which clears the canvas, and draws nothing without lines', () => {
    const { calls, canvas, context } = recordingContext(300, 150);
    strokeLines(context, linesFrame(chart, []));
    expect(canvas).toEqual({ width: 1_000, height: 500 });
    expect(calls).toEqual([]);
  });
});

/** Stands in for the lines worker: keeps what it is sent, and answers when told to. */
class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  readonly sent: unknown[] = [];
  terminated = false;

  constructor() {
    super();
    FakeWorker.made.push(this);
  }

  postMessage(message: unknown): void {
    this.sent.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  answer(): void {
    this.dispatchEvent(new MessageEvent('message', { data: 'done' }));
  }

  fail(): void {
    this.dispatchEvent(new Event('error'));
  }
}

describe('LinesLayer', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeWorker.made = [];
  });

  function layer(): { lines: LinesLayer; worker: FakeWorker; offscreen: object } {
    vi.stubGlobal('Worker', FakeWorker);
    const offscreen = { offscreen: true };
    const lines = new LinesLayer({ transferControlToOffscreen: () => offscreen } as unknown as HTMLCanvasElement);
    return { lines, worker: FakeWorker.made[0]!, offscreen };
  }

  /** The lines each frame sent draws, by colour: what the worker would put on screen. */
  const colorsSent = (worker: FakeWorker): string[][] => worker.sent.slice(1).map((message) => (message as { frame: LinesFrame }).frame.colors);

  it('hands its canvas over first, then keeps one message in flight and sends only the newest picture', () => {
    const { lines, worker, offscreen } = layer();
    expect(worker.sent).toEqual([{ canvas: offscreen }]);
    lines.draw(chart, [blue]);
    lines.draw(chart, [red]);
    expect(worker.sent).toHaveLength(1);
    worker.answer();
    lines.draw(chart, [blue, red]);
    worker.answer();
    worker.answer();
    expect(colorsSent(worker)).toEqual([['#f00'], ['#00f', '#f00']]);
  });

  it('packs a waiting picture when it is sent, from the lines as they are then', () => {
    const { lines, worker } = layer();
    const plotted = [blue];
    lines.draw(chart, plotted);
    plotted.push(red);
    worker.answer();
    expect(colorsSent(worker)).toEqual([['#00f', '#f00']]);
  });

  it('goes on after a message the worker failed on', () => {
    const { lines, worker } = layer();
    lines.draw(chart, [blue]);
    worker.fail();
    expect(colorsSent(worker)).toEqual([['#00f']]);
    lines.draw(chart, [red]);
    worker.fail();
    expect(colorsSent(worker)).toEqual([['#00f'], ['#f00']]);
  });

  it('stops its worker when destroyed', () => {
    const { lines, worker } = layer();
    lines.destroy();
    expect(worker.terminated).toBe(true);
  });
});
