import type { Chart, Plugin } from 'chart.js';
import type { LineColumns } from './line-columns';

/** A line to draw: its reduced points and its colour. */
export interface DrawnLine {
  id: string;
  columns: LineColumns;
  color: string;
}

/**
 * Draws the plotted lines straight from their typed arrays, over chart.js's grid and axes and
 * clipped to the plot area. chart.js keeps the scales, ticks and layout; a dataset would cost an
 * object and an element per point per frame, which at hundreds of lines is most of the frame.
 */
export function seriesLinesPlugin(lines: () => readonly DrawnLine[]): Plugin<'line'> {
  return {
    id: 'seriesLines',
    beforeDatasetsDraw(chart: Chart<'line'>) {
      const { ctx, chartArea: area } = chart;
      const x = chart.scales['x'];
      const y = chart.scales['y'];
      if (x === undefined || y === undefined || x.max <= x.min) return;
      // Both scales are linear: two reference pixels give the mapping without a call per point.
      const xScale = (x.getPixelForValue(x.max) - x.getPixelForValue(x.min)) / (x.max - x.min);
      const xOrigin = x.getPixelForValue(x.min);
      const ySpan = y.max - y.min || 1;
      const yScale = (y.getPixelForValue(y.max) - y.getPixelForValue(y.min)) / ySpan;
      const yOrigin = y.getPixelForValue(y.min);
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.lineWidth = 1;
      ctx.lineJoin = 'round';
      for (const { columns, color } of lines()) {
        const { times, ys, length } = columns;
        ctx.beginPath();
        ctx.strokeStyle = color;
        ctx.moveTo(xOrigin + (times[0]! - x.min) * xScale, yOrigin + (ys[0]! - y.min) * yScale);
        for (let i = 1; i < length; i += 1) ctx.lineTo(xOrigin + (times[i]! - x.min) * xScale, yOrigin + (ys[i]! - y.min) * yScale);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}
