/**
 * Draws the same chart lines on two canvases, each handed to its own lines worker: one drawn whole
 * every time, the other as the app draws it (strips between moves of the axes). The end-to-end test
 * steps it and compares the two canvases' pixels.
 */
import { LineColumns } from '../../../renderer/src/lib/line-columns';
import { LINES_DONE, type LinesFrame, type PlotArea } from '../../../renderer/src/lib/lines-frame';
import { LinesPainter, type DrawnLine, type PlotGeometry } from '../../../renderer/src/lib/lines-picture';
import { SeriesRing } from '../../../renderer/src/lib/series-ring';

declare global {
  interface Window {
    /** What the test calls: `step` draws `count` more steps on both canvases and answers where the strips began. */
    stripsPage: { step(count: number): Promise<number[]> };
  }
}

const AREA: PlotArea = { left: 40, top: 10, right: 480, bottom: 230 };
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed'];
const SPAN_MS = 4_000;
const COLUMNS = 80;

/** A canvas's lines worker, from the app's own source, and a way to have it draw a frame and wait until it has. */
function linesWorker(id: string): (frame: LinesFrame) => Promise<void> {
  const worker = new Worker(new URL('../../../renderer/src/lib/lines-worker.ts', import.meta.url), { type: 'module' });
  const answered = (): Promise<void> =>
    new Promise((done) => worker.addEventListener('message', ({ data }) => data === LINES_DONE && done(), { once: true }));
  const offscreen = document.querySelector<HTMLCanvasElement>(`#${id}`)!.transferControlToOffscreen();
  let last = answered();
  worker.postMessage({ canvas: offscreen }, [offscreen]);
  return async (frame) => {
    await last;
    last = answered();
    worker.postMessage({ frame }, [frame.coords.buffer, frame.lineEnds.buffer, frame.colorEnds.buffer]);
    await last;
  };
}

/** The geometry of a plot over [end − SPAN_MS, end] and values [low, high], as chart.js lays one out, at this display's pixel ratio. */
function geometry(end: number, low: number, high: number): PlotGeometry {
  const ratio = window.devicePixelRatio;
  return {
    width: Math.round(500 * ratio),
    height: Math.round(250 * ratio),
    ratio,
    area: AREA,
    x: { min: end - SPAN_MS, origin: AREA.left, slope: (AREA.right - AREA.left) / SPAN_MS },
    y: { min: low, origin: AREA.bottom, slope: -(AREA.bottom - AREA.top) / (high - low) },
  };
}

const drawWhole = linesWorker('whole');
const drawStrips = linesWorker('strips');
// Twenty lines of five colours crossing each other, each taking points at its own pace, from a seeded walk.
let state = 3;
const random = (): number => (state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
const rings = Array.from({ length: 20 }, () => new SeriesRing(1_024));
const values = rings.map(() => 20 + random() * 60);
const lines: DrawnLine[] = rings.map((_, i) => ({ id: `line ${i}`, color: COLORS[i % COLORS.length]!, columns: new LineColumns() }));
const painter = new LinesPainter();
let now = 10_000;
let steps = 0;
rings.forEach((ring, i) => ring.push(now - SPAN_MS, values[i]!));

window.stripsPage = {
  async step(count) {
    const strips: number[] = [];
    for (let n = 0; n < count; n += 1) {
      steps += 1;
      now += 17;
      rings.forEach((ring, i) => {
        if (random() >= 0.6) return;
        values[i] = Math.min(95, Math.max(5, values[i]! + (random() - 0.5) * 12));
        ring.push(now - random() * 17, values[i]!);
      });
      // The time axis moves on every 500 ms, the value axis once: whole pictures between runs of strips.
      const end = 500 * Math.ceil(now / 500);
      const plot = steps < 40 ? geometry(end, 0, 100) : geometry(end, -10, 110);
      lines.forEach((line, i) => line.columns.fill(rings[i]!, end - SPAN_MS, end, COLUMNS, false));
      const picture = painter.picture(plot, lines);
      if (picture === null) continue;
      if (picture.stripFrom !== null) strips.push(picture.stripFrom);
      await Promise.all([drawWhole(new LinesPainter().picture(plot, lines)!), drawStrips(picture)]);
    }
    return strips;
  },
};
