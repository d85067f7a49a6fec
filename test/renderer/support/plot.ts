import type { Chart } from 'chart.js';
import type { LinesFrame } from '../../../renderer/src/lib/lines-frame';

/** A linear scale as chart.js lays one out: `min` at pixel `from`, `max` at pixel `to`. */
function scale(min: number, max: number, from: number, to: number) {
  return { min, max, getPixelForValue: (value: number) => from + ((value - min) * (to - from)) / (max - min) };
}

/**
 * A chart on a 500 × 250 CSS pixel canvas at 2 device pixels per CSS pixel, its plot area from 40 to
 * 440 across and 10 to 210 down, with x over `x` left to right and y over `y` bottom to top.
 */
export function chartOver({ x, y }: { x: [number, number]; y: [number, number] }): Chart {
  return {
    canvas: { width: 1_000, height: 500 },
    chartArea: { left: 40, top: 10, right: 440, bottom: 210 },
    currentDevicePixelRatio: 2,
    scales: { x: scale(x[0], x[1], 40, 440), y: scale(y[0], y[1], 210, 10) },
  } as unknown as Chart;
}

/** The x, y pairs of a frame's `coords` from point `from` up to `to`. */
export const pairs = (frame: LinesFrame, from: number, to: number): number[][] =>
  Array.from({ length: to - from }, (_, i) => [frame.coords[2 * (from + i)]!, frame.coords[2 * (from + i) + 1]!]);
