import type { Chart, Scale } from 'chart.js';
import type { LineColumns } from './line-columns';
import type { LinesFrame, LinesMessage } from './lines-frame';

/** A line to draw: its reduced points and its colour. */
export interface DrawnLine {
  id: string;
  columns: LineColumns;
  color: string;
}

/** A linear scale as a pixel origin and a slope, so a point costs a multiplication, not a call. */
function mappingOf(scale: Scale): { min: number; origin: number; slope: number } {
  const origin = scale.getPixelForValue(scale.min);
  const span = scale.max - scale.min || 1;
  return { min: scale.min, origin, slope: (scale.getPixelForValue(scale.min + span) - origin) / span };
}

/** The frame that draws `lines` over `chart`'s plot area, in pixels of the scales chart.js has laid out. */
export function linesFrame(chart: Chart, lines: readonly DrawnLine[]): LinesFrame {
  const x = chart.scales['x'];
  const y = chart.scales['y'];
  // Before the scales are laid out, nothing is drawn.
  const drawn = x !== undefined && y !== undefined && x.max > x.min ? lines : [];
  const byColor = [...Map.groupBy(drawn, (line) => line.color)];
  const { left, top, right, bottom } = chart.chartArea;
  const frame: LinesFrame = {
    width: chart.canvas.width,
    height: chart.canvas.height,
    ratio: chart.currentDevicePixelRatio,
    area: { left, top, right, bottom },
    coords: new Float32Array(2 * drawn.reduce((sum, line) => sum + line.columns.length, 0)),
    lineEnds: new Uint32Array(drawn.length),
    colors: byColor.map(([color]) => color),
    colorEnds: new Uint32Array(byColor.length),
  };
  if (x === undefined || y === undefined || drawn.length === 0) return frame;
  const { min: xMin, origin: xOrigin, slope: xSlope } = mappingOf(x);
  const { min: yMin, origin: yOrigin, slope: ySlope } = mappingOf(y);
  let end = 0;
  let line = 0;
  byColor.forEach(([, sameColor], index) => {
    for (const { columns } of sameColor) {
      const { times, ys, length } = columns;
      for (let i = 0; i < length; i += 1) {
        frame.coords[2 * (end + i)] = xOrigin + (times[i]! - xMin) * xSlope;
        frame.coords[2 * (end + i) + 1] = yOrigin + (ys[i]! - yMin) * ySlope;
      }
      end += length;
      frame.lineEnds[line] = end;
      line += 1;
    }
    frame.colorEnds[index] = line;
  });
  return frame;
}

/**
 * The plotted lines, on a canvas of their own laid over chart.js's and drawn by a worker: a frame
 * with new points costs the page only their pixel positions, and the grid, ticks and labels
 * underneath are drawn again only when the axes move. One message is in flight at a time; what
 * comes meanwhile waits, and only the newest picture is sent, so a busy worker never falls behind.
 */
export class LinesLayer {
  private readonly worker = new Worker(new URL('./lines-worker.ts', import.meta.url), { type: 'module', name: 'chart lines' });
  private busy = false;
  /** The picture to send once the worker is free, packed then from the lines as they are. */
  private next: (() => LinesFrame) | null = null;

  constructor(canvas: HTMLCanvasElement) {
    this.worker.addEventListener('message', () => this.settle());
    // A message that failed still ends: the next picture goes, and the error stays in the console.
    this.worker.addEventListener('error', () => this.settle());
    this.worker.addEventListener('messageerror', () => this.settle());
    const offscreen = canvas.transferControlToOffscreen();
    this.post({ canvas: offscreen }, [offscreen]);
  }

  /** Has the worker draw `lines` over `chart`'s plot area. */
  draw(chart: Chart, lines: readonly DrawnLine[]): void {
    this.next = () => linesFrame(chart, lines);
    if (!this.busy) this.sendNext();
  }

  destroy(): void {
    this.worker.terminate();
  }

  private sendNext(): void {
    const frame = this.next!();
    this.next = null;
    this.post({ frame }, [frame.coords.buffer, frame.lineEnds.buffer, frame.colorEnds.buffer]);
  }

  /** The worker is done with its message: the picture waiting, if any, goes now. */
  private settle(): void {
    this.busy = false;
    if (this.next !== null) this.sendNext();
  }

  private post(message: LinesMessage, transfer: Transferable[]): void {
    this.worker.postMessage(message, transfer);
    this.busy = true;
  }
}
