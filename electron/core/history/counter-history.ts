import { MAX_RECENT_UPDATES } from '../../../shared/limits';
import type { CounterUpdate, HistoryBucket, KeyHistory } from '../../../shared/types';
import type { Clock } from '../clock';
import type { Database } from '../store/database';
import { addAggregate, addUpdate, aggregateOf, MERGE_BUCKET_SQL, type Aggregate } from './buckets';
import { bucketStart, HISTORY_TIERS, OWN_UPDATES_KEPT_MS, planRead, RECENT_UPDATES_KEPT, type ReadSegment } from './history-tiers';

/** The meta row: every finest bucket before this time is in the coarser tiers too. */
const FOLDED_THROUGH = 'history_folded_through';
/** How long a confirmed own write waits for its update, or an update for its confirmation, to mark it as own. */
const OWN_MATCH_MS = 10_000;

const seriesKey = (source: string, groupID: string, key: string): string => `${source}\u0000${groupID}\u0000${key}`;

interface OpenSecond {
  second: number;
  /** This run's updates in that second, not yet added to the coarser tiers. */
  aggregate: Aggregate;
}

/** One history read: per key, the value held before the range and its buckets. */
export interface HistoryRead {
  from: number;
  series: KeyHistory[];
}

/**
 * The counter history of every service Countdeck watched. Each batch of updates is one
 * transaction: its updates go into the finest tier's buckets, the newest of them into the raw
 * table for the event log, and every second that ended is added to the coarser tiers. A second's
 * updates reach the coarser tiers exactly once, also across a crash: what was not yet added when
 * the process died is added at the next start.
 */
export class CounterHistory {
  private readonly seriesIDs = new Map<string, number>();
  /** Per series, this run's part of the second it is in, not yet added to the coarser tiers. */
  private open = new Map<string, OpenSecond>();
  /** The newest time recorded: a clock that steps back does not write into buckets already added up. */
  private latest: number;
  private foldedThrough: number;
  /** Confirmed own writes whose update has not been recorded yet. */
  private readonly expectedOwn = new Map<string, { value: string; until: number }[]>();
  /** Each series' newest raw row, to mark it as own when the confirmation comes after it. */
  private readonly newestRow = new Map<number, { id: bigint; value: string; at: number; own: boolean }>();

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    const rows = database.statement('SELECT id, source, group_id, key FROM series').all() as { id: bigint; source: string; group_id: string; key: string }[];
    for (const row of rows) this.seriesIDs.set(seriesKey(row.source, row.group_id, row.key), Number(row.id));
    const folded = database.statement('SELECT value FROM meta WHERE name = ?').get(FOLDED_THROUGH) as { value: string } | undefined;
    this.foldedThrough = folded === undefined ? 0 : Number(folded.value);
    const newest = database.statement('SELECT max(last_at) AS at FROM bucket WHERE tier = 0').get() as { at: bigint | null };
    this.latest = Math.max(this.foldedThrough, Number(newest.at ?? 0n));
    this.foldUnfolded();
  }

  /** Records a batch of updates of one service; marks those its own writes made. Throws a coded error if the disk refuses. */
  record(source: string, updates: readonly CounterUpdate[]): void {
    if (updates.length === 0) return;
    const now = this.clock.now();
    // This batch's part of each series' seconds, and the times as recorded (never going back).
    const seconds = new Map<string, OpenSecond[]>();
    const times: number[] = [];
    let latest = this.latest;
    for (const update of updates) {
      if (this.expectedOwn.size > 0 && this.takeExpectedOwn(source, update, now)) update.own = true;
      const at = Math.max(update.at, latest);
      latest = at;
      times.push(at);
      const value = BigInt(update.value);
      const id = seriesKey(source, update.groupID, update.key);
      const parts = seconds.get(id);
      const part = parts?.[parts.length - 1];
      if (part !== undefined && part.second === bucketStart(0, at)) addUpdate(part.aggregate, value, at);
      else if (parts !== undefined) parts.push({ second: bucketStart(0, at), aggregate: aggregateOf(value, at) });
      else seconds.set(id, [{ second: bucketStart(0, at), aggregate: aggregateOf(value, at) }]);
    }
    const { ended, open } = this.advance(seconds, bucketStart(0, latest));
    const created: string[] = [];
    try {
      this.database.write(() => {
        const merge = this.database.statement(MERGE_BUCKET_SQL);
        for (const [id, parts] of seconds) {
          const series = this.seriesID(id, created);
          for (const { second, aggregate } of parts) merge.run(0, series, second, aggregate.min, aggregate.max, aggregate.last, aggregate.lastAt, aggregate.count);
        }
        this.foldIntoCoarser(ended);
        this.insertRecent(source, updates, times);
      });
    } catch (error) {
      for (const id of created) this.seriesIDs.delete(id);
      throw error;
    }
    this.open = open;
    this.latest = latest;
  }

  /** Adds every second that ended before `now` to the coarser tiers, when no batch came to do it. */
  foldEnded(now: number): void {
    const current = bucketStart(0, Math.max(now, this.latest));
    const { ended, open } = this.advance(new Map(), current);
    if (ended.length > 0) {
      this.database.write(() => this.foldIntoCoarser(ended));
      this.open = open;
    }
    // Seconds before this one are added up: an update stamped earlier (a clock stepping back) goes into it.
    this.latest = Math.max(this.latest, current);
  }

  /**
   * Notes a write of this Countdeck's that the service confirmed: its update is marked as own,
   * whether it was recorded already or comes later.
   */
  markOwn(source: string, groupID: string, key: string, value: string): void {
    const now = this.clock.now();
    const id = seriesKey(source, groupID, key);
    const series = this.seriesIDs.get(id);
    const row = series === undefined ? undefined : this.newestRow.get(series);
    if (row !== undefined && !row.own && row.value === value && now - row.at <= OWN_MATCH_MS) {
      row.own = true;
      try {
        this.database.write(() => this.database.statement('UPDATE recent_update SET own = 1 WHERE id = ?').run(row.id));
      } catch {
        // Only the mark is lost; the storage problem is shown where the database reports it.
      }
      return;
    }
    const expected = (this.expectedOwn.get(id) ?? []).filter((entry) => entry.until >= now);
    expected.push({ value, until: now + OWN_MATCH_MS });
    this.expectedOwn.set(id, expected);
  }

  /** A counter's stored history over [from, to), in about `maxPoints` buckets per key. */
  read(source: string, groupID: string, keys: readonly string[], from: number, to: number, maxPoints: number): HistoryRead {
    const segments = planRead(from, to, maxPoints, this.clock.now());
    const start = segments[0]?.from ?? from;
    const buckets = this.database.statement('SELECT at, min, max, last, last_at, count FROM bucket WHERE tier = ? AND series_id = ? AND at >= ? AND at < ? ORDER BY at');
    const series = keys.map((key): KeyHistory => {
      const id = this.seriesIDs.get(seriesKey(source, groupID, key));
      if (id === undefined) return { key, before: null, buckets: [] };
      const read: HistoryBucket[] = [];
      const open = this.open.get(seriesKey(source, groupID, key));
      for (const segment of segments) {
        const span = HISTORY_TIERS[segment.tier]!.resolutionMs;
        const rows = (buckets.all(segment.tier, id, segment.from, segment.to) as { at: bigint; min: bigint; max: bigint; last: bigint; last_at: bigint; count: bigint }[]).map(
          (row): [number, Aggregate] => [Number(row.at), { min: row.min, max: row.max, last: row.last, lastAt: Number(row.last_at), count: Number(row.count) }],
        );
        // The coarser tiers have this run's open second only once it ends: it is added here meanwhile.
        if (open !== undefined && segment.tier > 0) withOpenSecond(rows, bucketStart(segment.tier, open.second), open.aggregate, segment);
        for (const [at, { min, max, last, lastAt, count }] of rows) read.push({ at, span, min: min.toString(), max: max.toString(), last: last.toString(), lastAt, count });
      }
      return { key, before: this.valueBefore(id, start), buckets: read };
    });
    return { from: start, series };
  }

  /** The newest raw updates of a service, newest first. */
  recent(source: string, limit: number): CounterUpdate[] {
    const rows = this.database
      .statement(
        `SELECT s.group_id, s.key, r.at, r.value, r.previous, r.own, r.inexact FROM recent_update r JOIN series s ON s.id = r.series_id
         WHERE s.source = ? ORDER BY r.id DESC LIMIT ?`,
      )
      .all(source, limit) as { group_id: string; key: string; at: bigint; value: bigint; previous: bigint | null; own: bigint; inexact: bigint }[];
    return rows.map((row) => ({
      groupID: row.group_id,
      key: row.key,
      value: row.value.toString(),
      previous: row.previous === null ? null : row.previous.toString(),
      at: Number(row.at),
      ...(row.inexact === 1n && { inexact: true as const }),
      ...(row.own === 1n && { own: true as const }),
    }));
  }

  /** When each of a group's keys last changed, for the keys with any history. */
  lastUpdates(source: string, groupID: string, keys: Iterable<string>): Map<string, number> {
    const latest = this.database.statement('SELECT last_at FROM bucket WHERE tier = ? AND series_id = ? ORDER BY at DESC LIMIT 1');
    const found = new Map<string, number>();
    for (const key of keys) {
      const id = this.seriesIDs.get(seriesKey(source, groupID, key));
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
  oldest(): number | null {
    const first = this.database.statement('SELECT at FROM bucket WHERE tier = ? AND series_id = ? ORDER BY at LIMIT 1');
    let oldest: number | null = null;
    for (const id of this.seriesIDs.values()) {
      // The coarsest tier reaches furthest back, but has a young series' updates only once their second ends.
      for (let tier = 0; tier < HISTORY_TIERS.length; tier += 1) {
        const row = first.get(tier, id) as { at: bigint } | undefined;
        if (row !== undefined && (oldest === null || Number(row.at) < oldest)) oldest = Number(row.at);
      }
    }
    return oldest;
  }

  /**
   * Deletes the history from before `before`, one series per transaction, yielding between them. A
   * bucket reaching past it goes only if all its updates came before.
   */
  async deleteBefore(before: number): Promise<void> {
    const drop = 'DELETE FROM bucket WHERE tier = ? AND series_id = ? AND at < ? AND (at < ? OR last_at < ?)';
    for (const id of [...this.seriesIDs.values()]) {
      this.database.write(() => {
        for (let tier = 0; tier < HISTORY_TIERS.length; tier += 1) this.database.statement(drop).run(tier, id, before, bucketStart(tier, before), before);
        this.database.statement('DELETE FROM recent_update WHERE series_id = ? AND at < ?').run(id, before);
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.database.reclaim();
  }

  /** Drops what each tier keeps no longer, and raw updates beyond the newest ones. */
  prune(now: number): void {
    this.database.write(() => {
      const drop = this.database.statement('DELETE FROM bucket WHERE tier = ? AND series_id = ? AND at < ?');
      for (const id of this.seriesIDs.values()) {
        HISTORY_TIERS.forEach((tier, index) => drop.run(index, id, bucketStart(index, now - tier.keepMs)));
      }
      this.database
        .statement('DELETE FROM recent_update WHERE id <= (SELECT max(id) FROM recent_update) - ? AND (own = 0 OR at < ?)')
        .run(RECENT_UPDATES_KEPT, now - OWN_UPDATES_KEPT_MS);
    });
  }

  /** Adds this run's open seconds to the coarser tiers, so a clean close leaves nothing to recover. */
  close(): void {
    try {
      this.foldEnded(Number.MAX_SAFE_INTEGER);
    } catch {
      // Left for the next start, which adds what was not added.
    }
  }

  /**
   * This run's open seconds with a batch's parts added: those before `current` have ended and go
   * to the coarser tiers, the one of `current` stays open. Changes nothing.
   */
  private advance(parts: ReadonlyMap<string, OpenSecond[]>, current: number): { ended: { id: string; second: OpenSecond }[]; open: Map<string, OpenSecond> } {
    const ended: { id: string; second: OpenSecond }[] = [];
    const open = new Map<string, OpenSecond>();
    const keep = (id: string, second: OpenSecond): void => {
      if (second.second < current) ended.push({ id, second });
      else open.set(id, second);
    };
    for (const [id, second] of this.open) if (!parts.has(id)) keep(id, second);
    for (const [id, added] of parts) {
      let carried = this.open.get(id);
      for (const part of added) {
        if (carried !== undefined && carried.second === part.second) {
          const aggregate = { ...carried.aggregate };
          addAggregate(aggregate, part.aggregate);
          carried = { second: part.second, aggregate };
          continue;
        }
        if (carried !== undefined) keep(id, carried);
        carried = part;
      }
      if (carried !== undefined) keep(id, carried);
    }
    return { ended, open };
  }

  /** Adds ended seconds to every coarser tier and moves the mark of what was added; inside a write. */
  private foldIntoCoarser(ended: readonly { id: string; second: OpenSecond }[]): void {
    if (ended.length === 0) return;
    const merge = this.database.statement(MERGE_BUCKET_SQL);
    let through = this.foldedThrough;
    for (const { id, second: { second, aggregate } } of ended) {
      const series = this.seriesIDs.get(id)!;
      const { min, max, last, lastAt, count } = aggregate;
      for (let tier = 1; tier < HISTORY_TIERS.length; tier += 1) merge.run(tier, series, bucketStart(tier, second), min, max, last, lastAt, count);
      through = Math.max(through, second + HISTORY_TIERS[0]!.resolutionMs);
    }
    this.setFoldedThrough(through);
  }

  /**
   * At start: the finest buckets a crashed run wrote but did not add to the coarser tiers. Those of
   * ended seconds are added now; the newest second may go on in this run, so it is taken up as
   * this run's open second and added when it ends.
   */
  private foldUnfolded(): void {
    const rows = this.database
      .statement('SELECT s.source, s.group_id, s.key, b.at, b.min, b.max, b.last, b.last_at, b.count FROM bucket b JOIN series s ON s.id = b.series_id WHERE b.tier = 0 AND b.at >= ?')
      .all(this.foldedThrough) as { source: string; group_id: string; key: string; at: bigint; min: bigint; max: bigint; last: bigint; last_at: bigint; count: bigint }[];
    if (rows.length === 0) return;
    const newest = rows.reduce((latest, row) => Math.max(latest, Number(row.at)), 0);
    const ended: { id: string; second: OpenSecond }[] = [];
    for (const row of rows) {
      const id = seriesKey(row.source, row.group_id, row.key);
      const second: OpenSecond = {
        second: Number(row.at),
        aggregate: { min: row.min, max: row.max, last: row.last, lastAt: Number(row.last_at), count: Number(row.count) },
      };
      if (second.second < newest) ended.push({ id, second });
      else this.open.set(id, second);
    }
    if (ended.length > 0) this.database.write(() => this.foldIntoCoarser(ended));
  }

  private setFoldedThrough(through: number): void {
    this.database.statement('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(FOLDED_THROUGH, String(through));
    this.foldedThrough = through;
  }

  /** The newest raw updates of a batch (all own ones, and up to what the event log shows of the others). */
  private insertRecent(source: string, updates: readonly CounterUpdate[], times: readonly number[]): void {
    const insert = this.database.statement('INSERT INTO recent_update (series_id, at, value, previous, seq, own, inexact) VALUES (?, ?, ?, ?, NULL, ?, ?) RETURNING id');
    const firstKept = updates.length - MAX_RECENT_UPDATES;
    updates.forEach((update, index) => {
      if (index < firstKept && update.own !== true) return;
      const series = this.seriesIDs.get(seriesKey(source, update.groupID, update.key))!;
      const own = update.own === true;
      const row = insert.get(series, times[index]!, BigInt(update.value), update.previous === null ? null : BigInt(update.previous), own ? 1 : 0, update.inexact ? 1 : 0) as { id: bigint };
      this.newestRow.set(series, { id: row.id, value: update.value, at: times[index]!, own });
    });
  }

  /** The stored id of a series, created on first use (and noted in `created`, to forget if the write fails); inside a write. */
  private seriesID(id: string, created: string[]): number {
    const known = this.seriesIDs.get(id);
    if (known !== undefined) return known;
    const [source, groupID, key] = id.split('\u0000') as [string, string, string];
    const row = this.database.statement('INSERT INTO series (source, group_id, key) VALUES (?, ?, ?) RETURNING id').get(source, groupID, key) as { id: bigint };
    this.seriesIDs.set(id, Number(row.id));
    created.push(id);
    return Number(row.id);
  }

  /** The value held just before `at`: the last of the newest bucket that ends by then, in any tier. */
  private valueBefore(series: number, at: number): string | null {
    const newest = this.database.statement('SELECT last, last_at FROM bucket WHERE tier = ? AND series_id = ? AND at <= ? ORDER BY at DESC LIMIT 1');
    const found = HISTORY_TIERS.map((tier, index) => newest.get(index, series, at - tier.resolutionMs) as { last: bigint; last_at: bigint } | undefined);
    const best = found.reduce((a, b) => (b !== undefined && (a === undefined || b.last_at > a.last_at) ? b : a), undefined);
    return best === undefined ? null : best.last.toString();
  }

  private takeExpectedOwn(source: string, update: CounterUpdate, now: number): boolean {
    const id = seriesKey(source, update.groupID, update.key);
    const expected = this.expectedOwn.get(id);
    if (expected === undefined) return false;
    const index = expected.findIndex((entry) => entry.value === update.value && entry.until >= now);
    const live = expected.filter((entry, at) => at !== index && entry.until >= now);
    if (live.length === 0) this.expectedOwn.delete(id);
    else this.expectedOwn.set(id, live);
    return index !== -1;
  }
}

/** Adds an open second to the bucket of its start among a segment's rows (oldest first), if it falls in the segment. */
function withOpenSecond(rows: [number, Aggregate][], at: number, open: Aggregate, segment: ReadSegment): void {
  if (at < segment.from || at >= segment.to) return;
  const found = rows.find(([start]) => start === at);
  if (found !== undefined) {
    found[1] = { ...found[1] };
    addAggregate(found[1], open);
  } else {
    rows.push([at, { ...open }]);
    rows.sort((a, b) => a[0] - b[0]);
  }
}
