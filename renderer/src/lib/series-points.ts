/**
 * The width of a chart column across `span` ms in about `columns` columns: a power of two of
 * milliseconds, so columns stay put while a young line's span grows, and each is made of whole
 * buckets of a series' history.
 */
export function columnWidth(span: number, columns: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(span / columns, 1)));
}

/** The index of the first of `length` times, in order and read by `timeAt`, at or after `time` (binary search). */
export function firstAtOrAfter(length: number, timeAt: (i: number) => number, time: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeAt(middle) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Points of one series in time order, read by index (oldest first) or by time. */
export abstract class SeriesPoints {
  abstract get length(): number;
  /** Points pushed since the series was made; the newest held is number `pushed - 1`. */
  abstract get pushed(): number;
  /** The number of the oldest point held as it was pushed, as are all after it: those before were let go or merged. */
  abstract get firstIntact(): number;
  /** How finely points are kept around `time`: 0 where every point is, else the width of the buckets they were merged in. */
  abstract resolutionAt(time: number): number;
  /** The i-th oldest point's time and value. */
  abstract timeAt(i: number): number;
  abstract valueAt(i: number): number;

  /** The index of the first point at or after `time` (binary search: points are in time order). */
  indexFrom(time: number): number {
    return firstAtOrAfter(this.length, (i) => this.timeAt(i), time);
  }

  /** The value at or just before `time`, or undefined if every point is later. */
  valueAtTime(time: number): number | undefined {
    const index = this.indexFrom(time + 1) - 1;
    return index >= 0 ? this.valueAt(index) : undefined;
  }
}
