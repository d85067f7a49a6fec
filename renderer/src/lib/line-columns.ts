import { columnWidth, type SeriesPoints } from './series-points';

type Floats = Float64Array<ArrayBuffer>;

function grow(array: Floats, size: number): Floats {
  const bigger = new Float64Array(size);
  bigger.set(array.subarray(0, Math.min(array.length, size)));
  return bigger;
}

/**
 * The columns a line's points fall in, each keeping its lowest and highest point. Columns are
 * fixed in time (column k covers [k·width, (k+1)·width)), so a frame folds in only the points that
 * arrived since the last one and drops the columns that left the window: a redraw costs the new
 * points, not the whole history.
 */
class ColumnExtremes {
  private width = 0;
  /** The series folded in, and how many of its points (counted since it was made) are in. */
  private series: SeriesPoints | null = null;
  private folded = 0;
  private start = Infinity;
  private head = 0;
  count = 0;
  private index: Floats = new Float64Array(32);
  private lowTime: Floats = new Float64Array(32);
  private lowValue: Floats = new Float64Array(32);
  private highTime: Floats = new Float64Array(32);
  private highValue: Floats = new Float64Array(32);

  /** Brings the columns up to date with `series` for a window starting at `start`. */
  update(series: SeriesPoints, start: number, width: number): void {
    const firstColumn = Math.floor(start / width);
    // A new series, a new width, points let go or merged before they were folded in, or a window reaching further back.
    const stale = series !== this.series || width !== this.width || this.folded < series.firstIntact || start < this.start;
    this.start = start;
    // The first point not folded in yet, counted back from the newest: merges further back do not move it.
    let from = series.length - (series.pushed - this.folded);
    if (stale) {
      this.series = series;
      this.width = width;
      this.head = 0;
      this.count = 0;
      from = Math.max(0, series.indexFrom(start) - 1);
    }
    for (let i = from; i < series.length; i += 1) this.fold(series.timeAt(i), series.valueAt(i));
    this.folded = series.pushed;
    while (this.count > 0 && this.index[this.head]! < firstColumn) {
      this.head += 1;
      this.count -= 1;
    }
  }

  /** The i-th column's extremes, earlier first, into `out` as [time, value, time, value]; returns the column's number. */
  extremes(i: number, out: number[]): number {
    const at = this.head + i;
    const lowFirst = this.lowTime[at]! <= this.highTime[at]!;
    out[0] = lowFirst ? this.lowTime[at]! : this.highTime[at]!;
    out[1] = lowFirst ? this.lowValue[at]! : this.highValue[at]!;
    out[2] = lowFirst ? this.highTime[at]! : this.lowTime[at]!;
    out[3] = lowFirst ? this.highValue[at]! : this.lowValue[at]!;
    return this.index[at]!;
  }

  private fold(time: number, value: number): void {
    const column = Math.floor(time / this.width);
    const last = this.head + this.count - 1;
    if (this.count > 0 && this.index[last] === column) {
      if (value < this.lowValue[last]!) {
        this.lowValue[last] = value;
        this.lowTime[last] = time;
      }
      if (value > this.highValue[last]!) {
        this.highValue[last] = value;
        this.highTime[last] = time;
      }
      return;
    }
    this.makeRoom();
    const at = this.head + this.count;
    this.index[at] = column;
    this.lowTime[at] = time;
    this.highTime[at] = time;
    this.lowValue[at] = value;
    this.highValue[at] = value;
    this.count += 1;
  }

  /** Moves the live columns to the front, or doubles the arrays when they are mostly live. */
  private makeRoom(): void {
    if (this.head + this.count < this.index.length) return;
    const size = this.count * 2 > this.index.length ? this.index.length * 2 : this.index.length;
    for (const name of ['index', 'lowTime', 'lowValue', 'highTime', 'highValue'] as const) {
      const moved = this[name].copyWithin(0, this.head, this.head + this.count);
      this[name] = size === moved.length ? moved : grow(moved, size);
    }
    this.head = 0;
  }
}

/**
 * One plotted line reduced for drawing: (time, y) pairs in typed arrays, kept from frame to frame
 * so a redraw allocates nothing. `y` is the value, or its change since the window's left edge.
 */
export class LineColumns {
  times: Floats = new Float64Array(64);
  ys: Floats = new Float64Array(64);
  length = 0;
  /** The value y counts from: the one held at the window's start when plotting change, else 0. */
  base = 0;
  low = Infinity;
  high = -Infinity;
  /**
   * The first point that differs from the line as it was when `markDrawn` was last called (Infinity
   * when none does): a picture of the line needs redrawing only from the point before it.
   */
  changedFrom = 0;
  private readonly columns = new ColumnExtremes();
  private readonly pair: number[] = [0, 0, 0, 0];
  /** The points of the previous fill, which this one overwrites in place and is compared with. */
  private previousLength = 0;
  /** What the line was last filled from: a fill of the same window from a series that took no point since is the same. */
  private readonly filledFrom = { series: null as SeriesPoints | null, pushed: -1, length: -1, start: 0, end: 0, columns: 0, change: false };

  /** The line as it is now has been drawn: later changes count from here. */
  markDrawn(): void {
    this.changedFrom = Infinity;
  }

  private add(time: number, y: number): void {
    const last = this.length - 1;
    if (last >= 0 && this.times[last] === time && this.ys[last] === y) return;
    if (this.length === this.times.length) {
      this.times = grow(this.times, this.length * 2);
      this.ys = grow(this.ys, this.length * 2);
    }
    const changed = this.length >= this.previousLength || this.times[this.length] !== time || this.ys[this.length] !== y;
    if (changed && this.length < this.changedFrom) this.changedFrom = this.length;
    this.times[this.length] = time;
    this.ys[this.length] = y;
    this.length += 1;
    if (y < this.low) this.low = y;
    if (y > this.high) this.high = y;
  }

  /**
   * Fills the line from `series` for the window [start, end]: the value held at `start`, then the
   * lowest and highest point of each of about `columns` columns in time order (so no spike is lost,
   * however many points a column covers), then the newest value held flat up to `end`. With
   * `change`, y is the value minus the one held at `start`. Returns false when the series is empty.
   */
  fill(series: SeriesPoints, start: number, end: number, columns: number, change: boolean): boolean {
    const from = this.filledFrom;
    if (series === from.series && series.pushed === from.pushed && series.length === from.length && start === from.start && end === from.end && columns === from.columns && change === from.change) {
      return this.length > 0;
    }
    Object.assign(from, { series, pushed: series.pushed, length: series.length, start, end, columns, change });
    this.previousLength = this.length;
    this.length = 0;
    this.low = Infinity;
    this.high = -Infinity;
    this.reduce(series, start, end, columns, change);
    // Points the previous fill had past this one's end are gone: the last one kept leads to them no more.
    if (this.length < this.previousLength) this.changedFrom = Math.min(this.changedFrom, this.length);
    return this.length > 0;
  }

  private reduce(series: SeriesPoints, start: number, end: number, columns: number, change: boolean): void {
    if (series.length === 0) return;
    // Where the history has merged points, columns are no narrower than its buckets, so each holds
    // whole ones, and the value held at the start is read at a bucket's edge, where it is exact.
    const resolution = series.resolutionAt(start);
    const edge = resolution > 0 ? Math.floor(start / resolution) * resolution : start;
    // One search serves both: the last point at the edge (the value held then), and the last before it.
    const atEdge = series.indexFrom(edge + 1) - 1;
    let before = atEdge;
    while (before >= 0 && series.timeAt(before) >= edge) before -= 1;
    const held = Math.max(0, before);
    this.base = change ? series.valueAt(atEdge >= 0 ? atEdge : held) : 0;
    const from = Math.max(start, series.timeAt(held));
    this.add(from, series.valueAt(held) - this.base);
    const width = Math.max(columnWidth(end - start, columns), resolution);
    this.columns.update(series, start, width);
    // The first column is taken from the series afresh: the kept one may also hold points from before
    // the window, or points the series has since let go.
    const firstColumn = Math.floor(from / width);
    let i = series.indexFrom(from);
    if (i < series.length && series.timeAt(i) < (firstColumn + 1) * width) {
      let low = i;
      let high = i;
      for (i += 1; i < series.length && series.timeAt(i) < (firstColumn + 1) * width; i += 1) {
        if (series.valueAt(i) < series.valueAt(low)) low = i;
        if (series.valueAt(i) > series.valueAt(high)) high = i;
      }
      this.add(series.timeAt(Math.min(low, high)), series.valueAt(Math.min(low, high)) - this.base);
      this.add(series.timeAt(Math.max(low, high)), series.valueAt(Math.max(low, high)) - this.base);
    }
    const pair = this.pair;
    for (let c = 0; c < this.columns.count; c += 1) {
      if (this.columns.extremes(c, pair) <= firstColumn) continue;
      this.add(pair[0]!, pair[1]! - this.base);
      this.add(pair[2]!, pair[3]! - this.base);
    }
    this.add(end, series.valueAt(series.length - 1) - this.base);
  }
}
