import type { HistoryTier } from '../../../shared/types';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The tiers of the counter history, finest first. Every update lands in each tier's bucket of its
 * time, so each tier holds exact min, max, last and count at its own width. Each keeps its buckets
 * as long as a chart window needs that width: 1 s for the 1 and 5 min windows, 10 s for 30 min and
 * a session of a few hours, 5 min for 24 h, 30 min for 7 days and for a year at most. Each width is
 * a whole multiple of the one before, so a bucket edge of a coarser tier is an edge of every finer one.
 */
export const HISTORY_TIERS: readonly HistoryTier[] = [
  { resolutionMs: SECOND, keepMs: 15 * MINUTE },
  { resolutionMs: 10 * SECOND, keepMs: 6 * HOUR },
  { resolutionMs: 5 * MINUTE, keepMs: 14 * DAY },
  { resolutionMs: 30 * MINUTE, keepMs: 365 * DAY },
];

/** The raw updates kept besides the buckets, for the event log: the newest, ten times what it shows. */
export const RECENT_UPDATES_KEPT = 5_000;

/** The start of the bucket of `tier` that holds time `at`. */
export function bucketStart(tier: number, at: number): number {
  const width = HISTORY_TIERS[tier]!.resolutionMs;
  return Math.floor(at / width) * width;
}

/** The finest tier whose buckets are at least `widthMs` wide (so a range gives at most the points asked), else the coarsest. */
export function tierForWidth(widthMs: number): number {
  const found = HISTORY_TIERS.findIndex((tier) => tier.resolutionMs >= widthMs);
  return found === -1 ? HISTORY_TIERS.length - 1 : found;
}

/** One stretch of a history read: buckets of `tier` in [from, to). */
export interface ReadSegment {
  tier: number;
  from: number;
  to: number;
}

/**
 * Where to read [from, to) at about `maxPoints` buckets: the tier whose width fits, and for the part
 * older than that tier keeps, the next coarser ones. Each cut falls on an edge of the coarser
 * tier's buckets, so no update is read twice or missed, and the start moves back to an edge of its
 * tier's buckets, so the first bucket is read whole. Oldest segment first.
 */
export function planRead(from: number, to: number, maxPoints: number, now: number): ReadSegment[] {
  const segments: ReadSegment[] = [];
  let end = to;
  for (let tier = tierForWidth((to - from) / maxPoints); tier < HISTORY_TIERS.length && end > from; tier += 1) {
    const coarser = tier + 1 < HISTORY_TIERS.length;
    const kept = now - HISTORY_TIERS[tier]!.keepMs;
    // The oldest edge this tier still holds whole, on the coarser tier's grid.
    const start = coarser ? Math.max(from, Math.ceil(kept / HISTORY_TIERS[tier + 1]!.resolutionMs) * HISTORY_TIERS[tier + 1]!.resolutionMs) : from;
    if (start < end) segments.unshift({ tier, from: start, to: end });
    end = Math.min(end, start);
  }
  const first = segments[0];
  if (first !== undefined) first.from = bucketStart(first.tier, first.from);
  return segments;
}
