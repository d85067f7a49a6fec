import type { Chart } from 'chart.js';
import type { LinesFrame, LinesMessage } from './lines-frame';
import { geometryOf, LinesPainter, type DrawnLine } from './lines-picture';

/**
 * The plotted lines, on a canvas of their own laid over chart.js's and drawn by a worker: a frame
 * with new points costs the page only their pixel positions (and, between moves of the axes, only
 * those of the lines' right ends), and the grid, ticks and labels underneath are drawn again only
 * when the axes move. One message is in flight at a time; what comes meanwhile waits, and only the
 * newest picture is sent, so a busy worker never falls behind.
 */
export class LinesLayer {
  private readonly worker = new Worker(new URL('./lines-worker.ts', import.meta.url), { type: 'module', name: 'chart lines' });
  private readonly painter = new LinesPainter();
  private busy = false;
  /** The picture to send once the worker is free, packed then from the lines as they are. */
  private next: (() => LinesFrame | null) | null = null;

  constructor(canvas: HTMLCanvasElement) {
    this.worker.addEventListener('message', () => this.settle());
    // A message that failed still ends: the canvas may be half drawn, so the next picture is whole;
    // the error stays in the console.
    const failed = (): void => {
      this.painter.forget();
      this.settle();
    };
    this.worker.addEventListener('error', failed);
    this.worker.addEventListener('messageerror', failed);
    const offscreen = canvas.transferControlToOffscreen();
    this.post({ canvas: offscreen }, [offscreen]);
  }

  /** Has the worker draw `lines` over `chart`'s plot area. */
  draw(chart: Chart, lines: readonly DrawnLine[]): void {
    this.next = () => this.painter.picture(geometryOf(chart), lines);
    if (!this.busy) this.sendNext();
  }

  destroy(): void {
    this.worker.terminate();
  }

  private sendNext(): void {
    const frame = this.next!();
    this.next = null;
    // Null: the canvas already shows these lines.
    if (frame !== null) this.post({ frame }, [frame.coords.buffer, frame.lineEnds.buffer, frame.colorEnds.buffer]);
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
