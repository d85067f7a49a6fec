/**
 * A fixed-size ring of (time, value) points in typed arrays: memory stays flat however long the
 * broadcast runs, and the oldest points give way to the newest.
 */
export class SeriesRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Adds a point; a time before the newest is taken as the newest's, so the ring stays in time order. */
  push(time: number, value: number): void {
    const index = (this.start + this.count) % this.capacity;
    this.times[index] = this.count === 0 ? time : Math.max(time, this.timeAt(this.count - 1));
    this.values[index] = value;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th oldest point's time and value. */
  timeAt(i: number): number {
    return this.times[(this.start + i) % this.capacity]!;
  }

  valueAt(i: number): number {
    return this.values[(this.start + i) % this.capacity]!;
  }

  /** The index of the first point at or after `time` (binary search: points arrive in time order). */
  indexFrom(time: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.timeAt(middle) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The value at or just before `time`, or undefined if every point is later. */
  valueAtTime(time: number): number | undefined {
    const index = this.indexFrom(time + 1) - 1;
    return index >= 0 ? this.valueAt(index) : undefined;
  }
}
