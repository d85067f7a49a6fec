/** Storage a ring starts with; it doubles as points arrive, up to its capacity. */
const INITIAL_STORAGE = 64;

/**
 * A bounded ring of (time, value) points in typed arrays: memory stays flat however long the
 * broadcast runs, and the oldest points give way to the newest. Storage grows only while the ring
 * holds less than `retentionMs` of history, so a quiet series takes the memory its history needs,
 * not a busy one's.
 */
export class SeriesRing {
  private times: Float64Array<ArrayBuffer>;
  private values: Float64Array<ArrayBuffer>;
  private start = 0;
  private count = 0;
  private total = 0;

  constructor(
    /** The most points the ring ever holds. */
    readonly capacity: number,
    /** History worth growing for; past it, the oldest point gives way instead. */
    private readonly retentionMs = Infinity,
  ) {
    const storage = Math.min(capacity, INITIAL_STORAGE);
    this.times = new Float64Array(storage);
    this.values = new Float64Array(storage);
  }

  get length(): number {
    return this.count;
  }

  /** Points pushed since the ring was made: the oldest held is number `pushed - length`. */
  get pushed(): number {
    return this.total;
  }

  /** Points the ring has room for now (it grows up to `capacity`). */
  get allocated(): number {
    return this.values.length;
  }

  /** Adds a point; a time before the newest is taken as the newest's, so the ring stays in time order. */
  push(time: number, value: number): void {
    const at = this.count === 0 ? time : Math.max(time, this.timeAt(this.count - 1));
    if (this.count === this.allocated && this.allocated < this.capacity && at - this.timeAt(0) < this.retentionMs) this.grow();
    const index = (this.start + this.count) % this.allocated;
    this.times[index] = at;
    this.values[index] = value;
    this.total += 1;
    if (this.count < this.allocated) this.count += 1;
    else this.start = (this.start + 1) % this.allocated;
  }

  /** The i-th oldest point's time and value. */
  timeAt(i: number): number {
    return this.times[(this.start + i) % this.allocated]!;
  }

  valueAt(i: number): number {
    return this.values[(this.start + i) % this.allocated]!;
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

  /** Doubles the storage (up to capacity), laying the points out oldest first. */
  private grow(): void {
    const size = Math.min(this.capacity, this.allocated * 2);
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    for (let i = 0; i < this.count; i += 1) {
      times[i] = this.timeAt(i);
      values[i] = this.valueAt(i);
    }
    this.times = times;
    this.values = values;
    this.start = 0;
  }
}
