import type { Chart, Scale } from 'chart.js';
import type { LineColumns } from './line-columns';
import type { LinesFrame, PlotArea } from './lines-frame';
import { firstAtOrAfter } from './series-points';

/** A line to draw: its reduced points and its colour. */
export interface DrawnLine {
  id: string;
  columns: LineColumns;
  color: string;
}

/** A linear scale as a pixel origin and a slope, so a point costs a multiplication, not a call. */
interface Mapping {
  min: number;
  origin: number;
  slope: number;
}

/** Where the lines go: the canvas (device pixels), its plot area, and the scales as chart.js laid them out. */
export interface PlotGeometry {
  width: number;
  height: number;
  ratio: number;
  area: PlotArea;
  /** Null before the scales are laid out: nothing is drawn then. */
  x: Mapping | null;
  y: Mapping | null;
}

/** Where `value` lands on `mapping`, in CSS pixels. */
const pixelOf = (mapping: Mapping, value: number): number => mapping.origin + (value - mapping.min) * mapping.slope;

function mappingOf(scale: Scale): Mapping {
  const origin = scale.getPixelForValue(scale.min);
  const span = scale.max - scale.min || 1;
  return { min: scale.min, origin, slope: (scale.getPixelForValue(scale.min + span) - origin) / span };
}

/** The geometry `chart` has laid out. */
export function geometryOf(chart: Chart): PlotGeometry {
  const x = chart.scales['x'];
  const y = chart.scales['y'];
  const laidOut = x !== undefined && y !== undefined && x.max > x.min;
  const { left, top, right, bottom } = chart.chartArea;
  return {
    width: chart.canvas.width,
    height: chart.canvas.height,
    ratio: chart.currentDevicePixelRatio,
    area: { left, top, right, bottom },
    x: laidOut ? mappingOf(x) : null,
    y: laidOut ? mappingOf(y) : null,
  };
}

const sameMapping = (a: Mapping | null, b: Mapping | null): boolean =>
  a === b || (a !== null && b !== null && a.min === b.min && a.origin === b.origin && a.slope === b.slope);

function sameGeometry(a: PlotGeometry, b: PlotGeometry): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.ratio === b.ratio &&
    a.area.left === b.area.left &&
    a.area.top === b.area.top &&
    a.area.right === b.area.right &&
    a.area.bottom === b.area.bottom &&
    sameMapping(a.x, b.x) &&
    sameMapping(a.y, b.y)
  );
}

/** The lines a picture drew, in order: their ids and colours. */
interface DrawnIdentities {
  ids: string[];
  colors: string[];
}

const identitiesOf = (lines: readonly DrawnLine[]): DrawnIdentities => ({ ids: lines.map((line) => line.id), colors: lines.map((line) => line.color) });

const sameLines = (shown: DrawnIdentities, lines: readonly DrawnLine[]): boolean =>
  shown.ids.length === lines.length && lines.every((line, i) => line.id === shown.ids[i] && line.color === shown.colors[i]);

/** How far a line's stroke reaches past its points, in CSS pixels: half its width, its round join and the antialiasing. */
const STROKE_REACH_PX = 2;

/**
 * Turns the plotted lines into pictures for the lines worker, remembering what the canvas shows.
 * Between moves of the axes, new points change only the right end of each line (its last columns
 * and the flat run to now): the next picture is then a strip, which the worker clears and strokes
 * again from the leftmost change on, over the rest it drew before, with only the parts of the lines
 * that reach it. Anything else (a new size, axes that moved, other lines or colours) draws it whole.
 */
export class LinesPainter {
  /** The geometry and the lines (id and colour, in order) of the canvas as drawn; null when unknown. */
  private shown: { geometry: PlotGeometry; lines: DrawnIdentities } | null = null;

  /** The next picture of `lines` over `geometry`, or null when the canvas already shows them. */
  picture(geometry: PlotGeometry, lines: readonly DrawnLine[]): LinesFrame | null {
    const { x, y } = geometry;
    const drawn = x !== null && y !== null ? lines : [];
    const shown = this.shown;
    let stripFrom: number | null = null;
    if (x !== null && shown !== null && sameGeometry(shown.geometry, geometry) && sameLines(shown.lines, drawn)) {
      let changedAt = Infinity;
      for (const { columns } of drawn) {
        if (columns.changedFrom === Infinity) continue;
        // The segment into the first changed point changes too.
        changedAt = Math.min(changedAt, pixelOf(x, columns.times[Math.max(0, columns.changedFrom - 1)]!));
      }
      if (changedAt === Infinity) return null;
      stripFrom = Math.floor((changedAt - STROKE_REACH_PX) * geometry.ratio) / geometry.ratio;
      // A strip from the plot's left edge is the whole picture.
      if (stripFrom <= geometry.area.left) stripFrom = null;
    }
    const frame = pack(geometry, drawn, stripFrom);
    for (const { columns } of drawn) columns.markDrawn();
    this.shown = { geometry, lines: identitiesOf(drawn) };
    return frame;
  }

  /** The canvas may not show the last picture (drawing it failed): the next one is whole. */
  forget(): void {
    this.shown = null;
  }
}

/** The frame drawing `lines` whole, or from `stripFrom` on: each line from the last point before the strip's reach. */
function pack(geometry: PlotGeometry, lines: readonly DrawnLine[], stripFrom: number | null): LinesFrame {
  const { x, y } = geometry;
  const byColor = [...Map.groupBy(lines, (line) => line.color)];
  // A segment that ends left of this reaches no pixel of the strip.
  const reachFrom = stripFrom === null || x === null ? -Infinity : x.min + (stripFrom - STROKE_REACH_PX - x.origin) / x.slope;
  const firsts = new Map(lines.map(({ columns }) => [columns, Math.max(0, firstAtOrAfter(columns.length, (i) => columns.times[i]!, reachFrom) - 1)]));
  const frame: LinesFrame = {
    width: geometry.width,
    height: geometry.height,
    ratio: geometry.ratio,
    area: { ...geometry.area },
    stripFrom,
    coords: new Float32Array(2 * lines.reduce((sum, { columns }) => sum + columns.length - firsts.get(columns)!, 0)),
    lineEnds: new Uint32Array(lines.length),
    colors: byColor.map(([color]) => color),
    colorEnds: new Uint32Array(byColor.length),
  };
  if (x === null || y === null) return frame;
  let end = 0;
  let line = 0;
  byColor.forEach(([, sameColor], index) => {
    for (const { columns } of sameColor) {
      const { times, ys, length } = columns;
      for (let i = firsts.get(columns)!; i < length; i += 1, end += 1) {
        frame.coords[2 * end] = pixelOf(x, times[i]!);
        frame.coords[2 * end + 1] = pixelOf(y, ys[i]!);
      }
      frame.lineEnds[line] = end;
      line += 1;
    }
    frame.colorEnds[index] = line;
  });
  return frame;
}
