import { columnWidth, SeriesPoints } from './series-points';
import { SeriesRing } from './series-ring';

/** One tier of a series' history: the span it covers back from the newest point, and how finely. */
export interface HistoryTier {
  spanMs: number;
  /** Points are merged per bucket of this many ms (a power of two); 0 keeps every point. */
  bucketMs: number;
  capacity: number;
}

/** Points a bucket keeps: its lowest, its highest and its last, in time order. */
const KEPT_PER_BUCKET = 3;

/**
 * The tiers for a chart of `windowsMs` drawn in up to `columns` columns: every point over the
 * shortest window (up to `rawPoints` of them), then for each window its buckets as wide as its
 * narrowest column. A column is made of whole buckets and each bucket keeps its extremes, so a
 * window draws from its tier exactly what it would from every point; the longest window is the
 * history kept.
 */
export function historyTiers(windowsMs: readonly number[], columns: number, rawPoints: number): HistoryTier[] {
  const spans = windowsMs.filter(Number.isFinite).sort((a, b) => a - b);
  return [
    { spanMs: spans[0]!, bucketMs: 0, capacity: rawPoints },
    ...spans.map((spanMs) => {
      const bucketMs = columnWidth(spanMs, columns);
      // Buckets within the span, one partly before it, and the newest.
      return { spanMs, bucketMs, capacity: KEPT_PER_BUCKET * (Math.ceil(spanMs / bucketMs) + 2) };
    }),
  ];
}

/** Scratch for merging a bucket: its kept points and the new one. */
const mergeTimes = new Float64Array(KEPT_PER_BUCKET + 1);
const mergeValues = new Float64Array(KEPT_PER_BUCKET + 1);

/**
 * A series' history in tiers that coarsen with age: every point of the last minute or so, then
 * points merged into ever wider buckets, each keeping its lowest, highest and last point, back to
 * the longest window. However fast a counter moves, its memory stays bounded and every window is
 * covered in full. Read oldest first, the tiers are one sequence in time order.
 */
export class SeriesHistory extends SeriesPoints {
  /** Newest first: `rings[0]` holds every recent point. */
  private readonly rings: SeriesRing[];
  /** Where each tier's points start in the oldest-first sequence, and their total: worked out after each push, since reads far outnumber pushes. */
  private readonly starts: number[];
  private count = 0;
  private total = 0;

  constructor(private readonly tiers: readonly HistoryTier[]) {
    super();
    this.rings = tiers.map((tier) => new SeriesRing(tier.capacity));
    this.starts = tiers.map(() => 0);
  }

  get length(): number {
    return this.count;
  }

  get pushed(): number {
    return this.total;
  }

  /** Points stay as pushed while they are in the first tier; past it they may be merged. */
  get firstIntact(): number {
    return this.total - this.rings[0]!.length;
  }

  /** Before the oldest point, the resolution of the tier holding that point. */
  resolutionAt(time: number): number {
    let holding = 0;
    for (let tier = 0; tier < this.rings.length; tier += 1) {
      const ring = this.rings[tier]!;
      if (ring.length === 0) continue;
      holding = tier;
      if (ring.timeAt(0) <= time) break;
    }
    return this.tiers[holding]!.bucketMs;
  }

  /** Points the tiers have room for now. */
  get allocated(): number {
    return this.rings.reduce((sum, ring) => sum + ring.allocated, 0);
  }

  /** Adds a point; a time before the newest is taken as the newest's, so the history stays in time order. */
  push(time: number, value: number): void {
    const at = this.count === 0 ? time : Math.max(time, this.timeAt(this.count - 1));
    const last = this.rings.length - 1;
    // Deepest tier first: a point sent past a tier then finds it already emptied of anything older.
    for (let tier = last - 1; tier >= 0; tier -= 1) {
      const ring = this.rings[tier]!;
      while (ring.length > 0 && ring.timeAt(0) < at - this.tiers[tier]!.spanMs) this.moveOldest(tier, at);
    }
    const recent = this.rings[0]!;
    if (recent.length === recent.capacity) this.moveOldest(0, at);
    recent.push(at, value);
    this.total += 1;
    // The oldest tier keeps the point held at its span's start, so the longest window starts at a known value.
    const oldest = this.rings[last]!;
    while (oldest.length > 1 && oldest.timeAt(1) <= at - this.tiers[last]!.spanMs) oldest.shift();
    this.count = 0;
    for (let tier = last; tier >= 0; tier -= 1) {
      this.starts[tier] = this.count;
      this.count += this.rings[tier]!.length;
    }
  }

  // Reads look from the newest tier back: most of them are of recent points.
  timeAt(i: number): number {
    const tier = this.tierOf(i);
    return this.rings[tier]!.timeAt(i - this.starts[tier]!);
  }

  valueAt(i: number): number {
    const tier = this.tierOf(i);
    return this.rings[tier]!.valueAt(i - this.starts[tier]!);
  }

  /** A binary search within the one tier that holds `time`, rather than across all of them. */
  override indexFrom(time: number): number {
    for (let tier = 0; tier < this.rings.length; tier += 1) {
      const ring = this.rings[tier]!;
      if (ring.length > 0 && ring.timeAt(0) < time) return this.starts[tier]! + ring.indexFrom(time);
    }
    return 0;
  }

  /** The tier holding the i-th oldest point. */
  private tierOf(i: number): number {
    let tier = 0;
    while (tier < this.rings.length - 1 && i < this.starts[tier]!) tier += 1;
    return tier;
  }

  /** Moves tier `tier`'s oldest point into the newest bucket of the next tier whose span, back from `at`, holds it. */
  private moveOldest(tier: number, at: number): void {
    const from = this.rings[tier]!;
    const time = from.timeAt(0);
    const value = from.valueAt(0);
    from.shift();
    let next = tier + 1;
    while (next < this.tiers.length - 1 && time < at - this.tiers[next]!.spanMs) next += 1;
    const into = this.rings[next]!;
    const width = this.tiers[next]!.bucketMs;
    const bucket = Math.floor(time / width);
    // The bucket's points so far sit at the end of the next tier.
    let held = 0;
    while (held < KEPT_PER_BUCKET && held < into.length && Math.floor(into.timeAt(into.length - 1 - held) / width) === bucket) held += 1;
    for (let i = 0; i < held; i += 1) {
      mergeTimes[i] = into.timeAt(into.length - held + i);
      mergeValues[i] = into.valueAt(into.length - held + i);
    }
    mergeTimes[held] = time;
    mergeValues[held] = value;
    for (let i = 0; i < held; i += 1) into.pop();
    let lowest = 0;
    let highest = 0;
    for (let i = 1; i <= held; i += 1) {
      if (mergeValues[i]! < mergeValues[lowest]!) lowest = i;
      if (mergeValues[i]! > mergeValues[highest]!) highest = i;
    }
    for (let i = 0; i <= held; i += 1) if (i === lowest || i === highest || i === held) into.push(mergeTimes[i]!, mergeValues[i]!);
  }
}
