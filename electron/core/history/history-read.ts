import type { HistoryBucket, KeyHistory } from '../../../shared/types';
import type { Database } from '../store/database';
import { addAggregate, type Aggregate } from './buckets';
import { bucketStart, HISTORY_TIERS, planRead, type ReadSegment } from './history-tiers';
import { seriesKey, type SeriesIDs } from './series-ids';

/** This run's part of a series' open second, which the coarser tiers get only once it ends. */
export interface OpenSecond {
  second: number;
  aggregate: Aggregate;
}

export interface ReadRequest {
  source: string;
  groupID: string;
  keys: readonly string[];
  from: number;
  to: number;
  maxPoints: number;
}

/** One history read: where it starts (on a bucket edge), and per key the value held before and the buckets. */
export interface HistoryRead {
  from: number;
  series: KeyHistory[];
}

/** A bucket as read: series id, start, min, max, last (as text), time of the last, count. */
type BucketRow = [bigint, bigint, string, string, string, bigint, bigint];

/**
 * Reads a group's keys over a range from the tiers `planRead` picks: one query per tier for all the
 * keys, values as decimal text straight from SQLite, and the coarser tiers topped up with this
 * run's open second.
 */
export function readHistory(database: Database, ids: SeriesIDs, openOf: (series: string) => OpenSecond | undefined, request: ReadRequest, now: number): HistoryRead {
  const segments = planRead(request.from, request.to, request.maxPoints, now);
  const from = segments[0]?.from ?? request.from;
  const known = request.keys.flatMap((key) => {
    const id = ids.get(seriesKey(request.source, request.groupID, key));
    return id === undefined ? [] : [{ key, id }];
  });
  const buckets = new Map<number, HistoryBucket[]>(known.map(({ id }) => [id, []]));
  if (known.length > 0) {
    for (const segment of segments) {
      const span = HISTORY_TIERS[segment.tier]!.resolutionMs;
      const rows = database
        .arrayStatement(
          `SELECT series_id, at, CAST(min AS TEXT) AS min, CAST(max AS TEXT) AS max, CAST(last AS TEXT) AS last, last_at, count FROM bucket
           WHERE tier = ? AND series_id IN (${known.map(() => '?').join(', ')}) AND at >= ? AND at < ? ORDER BY series_id, at`,
        )
        .all(segment.tier, ...known.map(({ id }) => id), segment.from, segment.to) as unknown as BucketRow[];
      for (const [id, at, min, max, last, lastAt, count] of rows) {
        buckets.get(Number(id))!.push({ at: Number(at), span, min, max, last, lastAt: Number(lastAt), count: Number(count) });
      }
      if (segment.tier === 0) continue;
      for (const { key, id } of known) {
        const open = openOf(seriesKey(request.source, request.groupID, key));
        if (open !== undefined) withOpenSecond(buckets.get(id)!, open, segment, span);
      }
    }
  }
  const ofKey = new Map(known.map(({ key, id }) => [key, id]));
  const series = request.keys.map((key): KeyHistory => {
    const id = ofKey.get(key);
    if (id === undefined) return { key, before: null, buckets: [] };
    return { key, before: valueBefore(database, id, from, segments[0]?.tier ?? 0), buckets: buckets.get(id)! };
  });
  return { from, series };
}

/**
 * The value held at `at`, an edge of `tier`'s buckets: the last of that tier's newest bucket before
 * it, which holds every update up to then. A series quiet for longer than the tier keeps has its
 * last value in a coarser one.
 */
function valueBefore(database: Database, series: number, at: number, tier: number): string | null {
  const newest = database.statement('SELECT CAST(last AS TEXT) AS last FROM bucket WHERE tier = ? AND series_id = ? AND at <= ? ORDER BY at DESC LIMIT 1');
  for (let level = tier; level < HISTORY_TIERS.length; level += 1) {
    const row = newest.get(level, series, at - HISTORY_TIERS[level]!.resolutionMs) as { last: string } | undefined;
    if (row !== undefined) return row.last;
  }
  return null;
}

/** Adds an open second to the bucket of its start among a segment's buckets (oldest first), if it falls in the segment. */
function withOpenSecond(buckets: HistoryBucket[], open: OpenSecond, segment: ReadSegment, span: number): void {
  const at = bucketStart(segment.tier, open.second);
  if (at < segment.from || at >= segment.to) return;
  const index = buckets.findIndex((bucket) => bucket.at === at);
  const found = index === -1 ? undefined : buckets[index]!;
  const merged: Aggregate = found === undefined ? { ...open.aggregate } : { min: BigInt(found.min), max: BigInt(found.max), last: BigInt(found.last), lastAt: found.lastAt, count: found.count };
  if (found !== undefined) addAggregate(merged, open.aggregate);
  const bucket: HistoryBucket = { at, span, min: String(merged.min), max: String(merged.max), last: String(merged.last), lastAt: merged.lastAt, count: merged.count };
  if (found !== undefined) buckets[index] = bucket;
  else {
    buckets.push(bucket);
    buckets.sort((a, b) => a.at - b.at);
  }
}

/** When each of a group's keys last changed, for the keys with any history. */
export function lastUpdates(database: Database, ids: SeriesIDs, source: string, groupID: string, keys: Iterable<string>): Map<string, number> {
  const latest = database.statement('SELECT last_at FROM bucket WHERE tier = ? AND series_id = ? ORDER BY at DESC LIMIT 1');
  const found = new Map<string, number>();
  for (const key of keys) {
    const id = ids.get(seriesKey(source, groupID, key));
    if (id === undefined) continue;
    for (let tier = 0; tier < HISTORY_TIERS.length; tier += 1) {
      const row = latest.get(tier, id) as { last_at: bigint } | undefined;
      if (row !== undefined) {
        found.set(key, Number(row.last_at));
        break;
      }
    }
  }
  return found;
}

/** The oldest time any history is kept from, or null when there is none. */
export function oldestHistory(database: Database, ids: SeriesIDs): number | null {
  const first = database.statement('SELECT at FROM bucket WHERE tier = ? AND series_id = ? ORDER BY at LIMIT 1');
  let oldest: number | null = null;
  for (const id of ids.all()) {
    // The coarsest tier reaches furthest back; a young series' updates reach it only once their second ends.
    for (let tier = HISTORY_TIERS.length - 1; tier >= 0; tier -= 1) {
      const row = first.get(tier, id) as { at: bigint } | undefined;
      if (row === undefined) continue;
      if (oldest === null || Number(row.at) < oldest) oldest = Number(row.at);
      break;
    }
  }
  return oldest;
}
