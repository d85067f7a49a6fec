import { firstAtOrAfter, SeriesPoints } from './series-points';
import type { SeriesHistory } from './series-history';
import type { StoredPoints } from './stored-history';

/**
 * A series as the chart reads it: the stored history from before its live points, then the live
 * history (the cache of what arrived since the page started). The stored points are cut where the
 * live ones begin, and that cut moves on as the live history lets go of its oldest points, so the
 * two never overlap however long the page runs. Read oldest first, it is one sequence in time order.
 */
export class BackfilledSeries extends SeriesPoints {
  private stored: StoredPoints | null = null;
  /** The stored points read: those before the first live point. */
  private count = 0;
  /** The first live point's time when the cut was made. */
  private cutAt = Number.NaN;
  /**
   * Added to the live history's numbering. It moves past every number given so far whenever the
   * stored part changes, so a reader that folded the line in (`LineColumns`) folds it afresh.
   */
  private offset = 0;

  constructor(
    /** The live cache: pushed to, and read after the stored points. */
    readonly live: SeriesHistory,
  ) {
    super();
  }

  get length(): number {
    return this.count + this.live.length;
  }

  get pushed(): number {
    return this.offset + this.live.pushed;
  }

  get firstIntact(): number {
    return this.offset + this.live.firstIntact;
  }

  /** Adds a live point. */
  push(time: number, value: number): void {
    this.live.push(time, value);
    if (this.live.timeAt(0) !== this.cutAt) this.cut(false);
  }

  /** Puts the stored history in front of the live points (or takes it away, with null). */
  setStored(points: StoredPoints | null): void {
    this.stored = points;
    this.cut(true);
  }

  /**
   * Whether the points held cover the range from `from` to now: the live ones reach back that far,
   * or stored ones read from then reach the live ones. False once the live history let go of points
   * the stored read did not reach (it ended before them): it is time to read again.
   */
  covers(from: number): boolean {
    if (this.live.length === 0) return this.stored !== null;
    const liveFrom = this.live.timeAt(0);
    return liveFrom <= from || (this.stored !== null && this.stored.from <= from && this.stored.to >= liveFrom);
  }

  /** 0 between stored buckets, where the value held is exact; a bucket's width inside it; the live history's beyond. */
  resolutionAt(time: number): number {
    const stored = this.stored;
    if (stored === null || this.count === 0 || (this.live.length > 0 && time >= this.live.timeAt(0))) return this.live.resolutionAt(time);
    const next = firstAtOrAfter(this.count, (i) => stored.times[i]!, time + 1);
    // The bucket the time falls in: that of the next point, if it started by then, else that of the last point before.
    if (next < this.count && stored.bucketAt[next]! <= time) return stored.spans[next]!;
    const held = next - 1;
    if (held < 0) return stored.spans[0]!;
    return time < stored.bucketAt[held]! + stored.spans[held]! ? stored.spans[held]! : 0;
  }

  timeAt(i: number): number {
    return i < this.count ? this.stored!.times[i]! : this.live.timeAt(i - this.count);
  }

  valueAt(i: number): number {
    return i < this.count ? this.stored!.values[i]! : this.live.valueAt(i - this.count);
  }

  /** A search of the stored points when the time is among them, else of the live history. */
  override indexFrom(time: number): number {
    const stored = this.stored;
    if (stored !== null && this.count > 0 && time <= stored.times[this.count - 1]!) {
      return firstAtOrAfter(this.count, (i) => stored.times[i]!, time);
    }
    return this.count + this.live.indexFrom(time);
  }

  /** Reads the stored points up to the first live one; a change of what is read renumbers the points. */
  private cut(changed: boolean): void {
    const stored = this.stored;
    this.cutAt = this.live.length > 0 ? this.live.timeAt(0) : Number.NaN;
    const liveFrom = this.live.length > 0 ? this.cutAt : Infinity;
    const count = stored === null ? 0 : firstAtOrAfter(stored.length, (i) => stored.times[i]!, liveFrom);
    if (!changed && count === this.count) return;
    this.count = count;
    this.offset += this.live.pushed + 1;
  }
}
