import type { SeriesRing } from './series-ring';

/**
 * One plotted line reduced for drawing: (time, y) pairs in typed arrays, kept from frame to frame
 * so a redraw allocates nothing. `y` is the value, or its change since the window's left edge.
 */
export class LineColumns {
  times = new Float64Array(64);
  ys = new Float64Array(64);
  length = 0;
  /** The value y counts from: the one held at the window's start when plotting change, else 0. */
  base = 0;
  low = Infinity;
  high = -Infinity;

  private add(time: number, y: number): void {
    if (this.length === this.times.length) {
      this.times = grow(this.times);
      this.ys = grow(this.ys);
    }
    this.times[this.length] = time;
    this.ys[this.length] = y;
    this.length += 1;
    if (y < this.low) this.low = y;
    if (y > this.high) this.high = y;
  }

  /**
   * Fills the line from `ring` for the window [start, end]: the point held at `start`, then each of
   * `columns` columns' lowest and highest point in time order (so no spike is lost, however many
   * points a column covers), then the newest value held flat up to `end`. With `change`, y is the
   * value minus the one held at `start`. Returns false when the ring is empty.
   */
  fill(ring: SeriesRing, start: number, end: number, columns: number, change: boolean): boolean {
    this.length = 0;
    this.low = Infinity;
    this.high = -Infinity;
    if (ring.length === 0) return false;
    const first = Math.max(0, ring.indexFrom(start) - 1);
    const base = change ? (ring.valueAtTime(start) ?? ring.valueAt(first)) : 0;
    this.base = base;
    this.add(Math.max(start, ring.timeAt(first)), ring.valueAt(first) - base);
    const width = (end - start) / columns;
    let i = first + 1;
    while (i < ring.length) {
      const columnEnd = start + (Math.floor((ring.timeAt(i) - start) / width) + 1) * width;
      let low = i;
      let high = i;
      // The column's first point always counts, so rounding at a column edge cannot stall the loop.
      for (i += 1; i < ring.length && ring.timeAt(i) < columnEnd; i += 1) {
        const value = ring.valueAt(i);
        if (value < ring.valueAt(low)) low = i;
        if (value > ring.valueAt(high)) high = i;
      }
      const before = Math.min(low, high);
      const after = Math.max(low, high);
      this.add(ring.timeAt(before), ring.valueAt(before) - base);
      if (after !== before) this.add(ring.timeAt(after), ring.valueAt(after) - base);
    }
    this.add(end, ring.valueAt(ring.length - 1) - base);
    return true;
  }
}

function grow(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
