import { SeriesPoints } from './series-points';

/** Storage a ring takes with its first point; it grows by a quarter as points arrive, up to its capacity. */
const INITIAL_STORAGE = 64;
/**
 * A quarter rather than double: hundreds of series each settle at a few hundred points, where
 * doubling can leave up to half of each one's storage empty; a point is still copied only about
 * four times on the way.
 */
const GROWTH = 1.25;

/**
 * A bounded ring of (time, value) points in typed arrays: memory stays flat however long the
 * broadcast runs, and at capacity the oldest point gives way to the newest. Storage is taken as
 * points arrive, so a quiet series holds only what its points need.
 */
export class SeriesRing extends SeriesPoints {
  private times = new Float64Array(0);
  private values = new Float64Array(0);
  private start = 0;
  private count = 0;
  private total = 0;

  constructor(
    /** The most points the ring ever holds. */
    readonly capacity: number,
  ) {
    super();
  }

  get length(): number {
    return this.count;
  }

  get pushed(): number {
    return this.total;
  }

  get firstIntact(): number {
    return this.total - this.count;
  }

  resolutionAt(): number {
    return 0;
  }

  /** Points the ring has room for now (it grows up to `capacity`). */
  get allocated(): number {
    return this.values.length;
  }

  /** Adds a point; a time before the newest is taken as the newest's, so the ring stays in time order. */
  push(time: number, value: number): void {
    const at = this.count === 0 ? time : Math.max(time, this.timeAt(this.count - 1));
    if (this.count === this.allocated && this.allocated < this.capacity) this.grow();
    const index = (this.start + this.count) % this.allocated;
    this.times[index] = at;
    this.values[index] = value;
    this.total += 1;
    if (this.count < this.allocated) this.count += 1;
    else this.start = (this.start + 1) % this.allocated;
  }

  /** Lets go of the oldest point. */
  shift(): void {
    this.start = (this.start + 1) % this.allocated;
    this.count -= 1;
  }

  /** Takes back the newest point, as if it had never been pushed. */
  pop(): void {
    this.count -= 1;
    this.total -= 1;
  }

  timeAt(i: number): number {
    return this.times[(this.start + i) % this.allocated]!;
  }

  valueAt(i: number): number {
    return this.values[(this.start + i) % this.allocated]!;
  }

  /** Grows the storage (up to capacity), laying the points out oldest first. */
  private grow(): void {
    const size = Math.min(this.capacity, Math.max(INITIAL_STORAGE, Math.ceil(this.allocated * GROWTH)));
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
