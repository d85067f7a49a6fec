import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import { strokeLines, type LinesFrame } from '../../renderer/src/lib/lines-frame';
import { LinesLayer } from '../../renderer/src/lib/lines-layer';
import { geometryOf, LinesPainter, type DrawnLine } from '../../renderer/src/lib/lines-picture';
import { SeriesRing } from '../../renderer/src/lib/series-ring';
import { chartOver } from './support/plot';

/** x over [0, 1,000] ms across pixels 40..440, y over [0, 100] from pixel 210 up to 10, at 2 device pixels per CSS pixel. */
const chart = chartOver({ x: [0, 1_000], y: [0, 100] });

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

/** A whole picture of `lines`, as the lines worker is sent it. */
const wholeFrame = (lines: DrawnLine[]): LinesFrame => new LinesPainter().picture(geometryOf(chart), lines)!;

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
    strokeLines(context, wholeFrame([blue, red, blueToo]));
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

  it('clears only a strip, on device pixels, and clips the lines to where it meets the plot', () => {
    const { calls, context } = recordingContext(1_000, 500);
    const frame: LinesFrame = {
      ...wholeFrame([red]),
      stripFrom: 300.5,
      coords: new Float32Array([200, 10, 440, 10]),
    };
    strokeLines(context, frame);
    expect(calls).toEqual(['clear 601 0 399 500', 'transform 2 0 0 2 0 0', 'path', 'clip to 300.5 10 139.5 200', 'path', 'colour #f00', 'move 200 10', 'line 440 10', 'stroke']);
  });

  it('strokes nothing for a strip right of the plot', () => {
    const { calls, context } = recordingContext(1_000, 500);
    strokeLines(context, { ...wholeFrame([red]), stripFrom: 460 });
    expect(calls).toEqual(['clear 920 0 80 500']);
  });

  it('takes the size of the frame, which clears the canvas, and draws nothing without lines', () => {
    const { calls, canvas, context } = recordingContext(300, 150);
    strokeLines(context, wholeFrame([]));
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

  const framesSent = (worker: FakeWorker): LinesFrame[] => worker.sent.slice(1).map((message) => (message as { frame: LinesFrame }).frame);
  /** The lines each frame sent draws, by colour: what the worker would put on screen. */
  const colorsSent = (worker: FakeWorker): string[][] => framesSent(worker).map((frame) => frame.colors);

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

  /** A line over a ring of points at 0 and 400 ms, and a way to add a point and fill it again. */
  function green(): { line: DrawnLine; add(time: number, value: number): void } {
    const ring = new SeriesRing(16);
    const columns = new LineColumns();
    const add = (time: number, value: number): void => {
      ring.push(time, value);
      columns.fill(ring, 0, 1_000, 100, false);
    };
    add(0, 10);
    add(400, 20);
    return { line: { id: 'g', color: '#0a0', columns }, add };
  }

  it('sends nothing when the canvas shows the lines already, and a strip when only their ends changed', () => {
    const { lines, worker } = layer();
    const { line, add } = green();
    lines.draw(chart, [line]);
    worker.answer();
    lines.draw(chart, [line]);
    worker.answer();
    expect(framesSent(worker)).toHaveLength(1);
    lines.draw(chart, [line]);
    expect(framesSent(worker)).toHaveLength(1);
    add(800, 30);
    lines.draw(chart, [line]);
    // From 2 px left of the segment into the new point (400 ms, 200 px).
    expect(framesSent(worker).map((frame) => frame.stripFrom)).toEqual([null, 198]);
  });

  it('draws whole after a failed message, which may have left the canvas half drawn', () => {
    const { lines, worker } = layer();
    const { line, add } = green();
    worker.answer();
    lines.draw(chart, [line]);
    worker.fail();
    add(800, 30);
    lines.draw(chart, [line]);
    expect(framesSent(worker).map((frame) => frame.stripFrom)).toEqual([null, null]);
  });

  it('stops its worker when destroyed', () => {
    const { lines, worker } = layer();
    lines.destroy();
    expect(worker.terminated).toBe(true);
  });
});
