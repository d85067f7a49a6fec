import type { Database } from '../../electron/core/store/database';
import { bucketStart, HISTORY_TIERS, planRead } from '../../electron/core/history/history-tiers';
import type { HistoryBucket, KeyHistory } from '../../shared/types';
import type { HistoryRequest } from '../../shared/types';

/**
 * Not the core's code: two sketches of the same read, to size what would help the 5 min × 400 read.
 * Both give the replies the core gives for a window read from one tier; the value before the range
 * comes from one seek per key, in the finest tier that still holds the range's start (the core asks
 * every tier for it and takes the newest: four seeks per key; the finest tier has the newest).
 *
 * - `perGroup`: one range query per group (its 20 series at once, `series_id IN (…)`) and one seek
 *   per key for the value before, integers read as bigint as the core does.
 * - `text`: the same, the values read as text by SQLite (`CAST(… AS TEXT)`) and the times as
 *   numbers, so no bigint is made and turned into a string per value.
 * - `json`: the same, each series' buckets handed over as one JSON text SQLite builds
 *   (`json_group_array`), parsed in JS: one row per series instead of one per bucket.
 * - `arrays`: as `json`, but each bucket left as the parsed array `[at, min, max, last, lastAt,
 *   count]` instead of an object: a reply of another shape, so only its time is compared.
 */
export type SketchMode = 'bigint' | 'text' | 'json' | 'arrays';

export function sketchRead(database: Database, seriesIDs: ReadonlyMap<string, number>, requests: readonly HistoryRequest[], now: number, mode: SketchMode): KeyHistory[][] {
  const asText = mode !== 'bigint';
  return requests.map((request) => {
    const [segment] = planRead(request.from, request.to, request.maxPoints, now);
    if (segment === undefined) return [];
    const span = HISTORY_TIERS[segment.tier]!.resolutionMs;
    const ids = request.keys.map((key) => seriesIDs.get(`${request.groupID}\u0000${key}`) ?? -1);
    const marks = ids.map(() => '?').join(', ');
    const columns = asText ? 'series_id, at, CAST(min AS TEXT) AS min, CAST(max AS TEXT) AS max, CAST(last AS TEXT) AS last, last_at, count' : 'series_id, at, min, max, last, last_at, count';
    const range = statement(database, `SELECT ${columns} FROM bucket WHERE tier = ? AND series_id IN (${marks}) AND at >= ? AND at < ? ORDER BY series_id, at`, asText);
    const before = statement(database, `SELECT ${asText ? 'CAST(last AS TEXT) AS last' : 'last'} FROM bucket WHERE tier = ? AND series_id = ? AND at <= ? ORDER BY at DESC LIMIT 1`, asText);
    // The finest tier still holding the buckets that end by the range's start (CounterHistory.valueBefore asks each for them).
    const found = HISTORY_TIERS.findIndex((tier, index) => bucketStart(index, now - tier.keepMs) <= segment.from - tier.resolutionMs);
    const beforeTier = found === -1 ? HISTORY_TIERS.length - 1 : found;
    const beforeAt = segment.from - HISTORY_TIERS[beforeTier]!.resolutionMs;
    const byID = new Map<number, HistoryBucket[]>(ids.map((id) => [id, []]));
    if (mode === 'json' || mode === 'arrays') {
      const grouped = statement(
        database,
        `SELECT series_id, json_group_array(json_array(at, CAST(min AS TEXT), CAST(max AS TEXT), CAST(last AS TEXT), last_at, count) ORDER BY at) AS buckets
         FROM bucket WHERE tier = ? AND series_id IN (${marks}) AND at >= ? AND at < ? GROUP BY series_id`,
        true,
      );
      for (const row of grouped.all(segment.tier, ...ids, segment.from, segment.to) as { series_id: number; buckets: string }[]) {
        const parsed = JSON.parse(row.buckets) as [number, string, string, string, number, number][];
        if (mode === 'arrays') {
          byID.set(row.series_id, parsed as unknown as HistoryBucket[]);
          continue;
        }
        const list = byID.get(row.series_id)!;
        for (const [at, min, max, last, lastAt, count] of parsed) list.push({ at, span, min, max, last, lastAt, count });
      }
    } else {
      const rows = range.all(segment.tier, ...ids, segment.from, segment.to) as { series_id: number | bigint; at: number | bigint; min: string | bigint; max: string | bigint; last: string | bigint; last_at: number | bigint; count: number | bigint }[];
      for (const row of rows) {
        byID.get(Number(row.series_id))!.push({ at: Number(row.at), span, min: String(row.min), max: String(row.max), last: String(row.last), lastAt: Number(row.last_at), count: Number(row.count) });
      }
    }
    return request.keys.map((key, index) => {
      const held = before.get(beforeTier, ids[index]!, beforeAt) as { last: string | bigint } | undefined;
      return { key, before: held === undefined ? null : String(held.last), buckets: byID.get(ids[index]!) ?? [] };
    });
  });
}

const prepared = new WeakMap<Database, Map<string, ReturnType<Database['statement']>>>();

/** A statement of the sketch: the core's cached one reading bigints, or a text-reading one of its own. */
function statement(database: Database, sql: string, asText: boolean): ReturnType<Database['statement']> {
  if (!asText) return database.statement(sql);
  let cache = prepared.get(database);
  if (cache === undefined) prepared.set(database, (cache = new Map()));
  let found = cache.get(sql);
  if (found === undefined) {
    // Database.statement reads integers as bigint; this one reads the times as numbers (all below 2^53).
    found = (database as unknown as { db: { prepare(sql: string): ReturnType<Database['statement']> } }).db.prepare(sql);
    cache.set(sql, found);
  }
  return found;
}
