import { MAX_RECENT_UPDATES } from '../../../shared/limits';
import type { CounterUpdate } from '../../../shared/types';
import type { Clock } from '../clock';
import type { Database } from '../store/database';
import { addAggregate, addUpdate, aggregateOf, MERGE_BUCKET_SQL, type Aggregate } from './buckets';
import { lastUpdates, oldestHistory, readHistory, type HistoryRead, type OpenSecond, type ReadRequest } from './history-read';
import { bucketStart, HISTORY_TIERS } from './history-tiers';
import { OwnWrites } from './own-writes';
import { RecentUpdates, type RecentRow } from './recent-updates';
import { SeriesIDs, seriesKey } from './series-ids';

/** The meta row: every finest bucket before this time is in the coarser tiers too. */
const FOLDED_THROUGH = 'history_folded_through';

type Ended = { id: string; second: OpenSecond };

/** A counter value as compared in a bucket: a number while it is exact as one, else a bigint (the two compare correctly). */
const valueOf = (decimal: string): bigint | number => (decimal.length < 16 ? Number(decimal) : BigInt(decimal));

/**
 * The counter history of every service Countdeck watched. Each batch of updates is one
 * transaction: its updates go into the finest tier's buckets, the newest of them into the ring of
 * raw updates for the event log, and every second that ended is added to the coarser tiers. A
 * second's updates reach the coarser tiers exactly once, also across a crash: what was not added
 * when the process died is added at the next start.
 */
export class CounterHistory {
  private readonly ids: SeriesIDs;
  private readonly recentUpdates: RecentUpdates;
  private readonly ownWrites = new OwnWrites();
  /** Per series, this run's part of the second it is in, not yet added to the coarser tiers. */
  private open = new Map<string, OpenSecond>();
  /** The newest time recorded: a clock that steps back does not write into seconds already added up. */
  private latest: number;
  private foldedThrough: number;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.ids = new SeriesIDs(database);
    this.recentUpdates = new RecentUpdates(database);
    const folded = database.statement('SELECT value FROM meta WHERE name = ?').get(FOLDED_THROUGH) as { value: string } | undefined;
    this.foldedThrough = folded === undefined ? 0 : Number(folded.value);
    this.latest = this.foldedThrough;
    this.foldUnfolded();
  }

  /** Records a batch of updates of one service; marks those its own writes made. Throws a coded error if the disk refuses. */
  record(source: string, updates: readonly CounterUpdate[]): void {
    if (updates.length === 0) return;
    const now = this.clock.now();
    // This batch's part of each series' seconds, and the times as recorded (never going back). The
    // series are found by group, then key: a name built per update would cost more than the rest.
    const byGroup = new Map<string, Map<string, { id: string; parts: OpenSecond[] }>>();
    const times: number[] = [];
    let latest = this.latest;
    for (const update of updates) {
      let keys = byGroup.get(update.groupID);
      if (keys === undefined) byGroup.set(update.groupID, (keys = new Map()));
      let series = keys.get(update.key);
      if (series === undefined) keys.set(update.key, (series = { id: seriesKey(source, update.groupID, update.key), parts: [] }));
      if (this.ownWrites.waiting && this.ownWrites.take(series.id, update.value, now)) update.own = true;
      const at = Math.max(update.at, latest);
      latest = at;
      times.push(at);
      const value = valueOf(update.value);
      const second = bucketStart(0, at);
      const part = series.parts[series.parts.length - 1];
      if (part !== undefined && part.second === second) addUpdate(part.aggregate, value, at);
      else series.parts.push({ second, aggregate: aggregateOf(value, at) });
    }
    const seconds = new Map([...byGroup.values()].flatMap((keys) => [...keys.values()].map(({ id, parts }): [string, OpenSecond[]] => [id, parts])));
    const { ended, open } = this.advance(seconds, bucketStart(0, latest));
    const created: string[] = [];
    try {
      this.database.write(() => {
        const merge = this.database.statement(MERGE_BUCKET_SQL);
        for (const [id, parts] of seconds) {
          const series = this.ids.getOrCreate(id, created);
          for (const { second, aggregate } of parts) merge.run(0, series, second, aggregate.min, aggregate.max, aggregate.last, aggregate.lastAt, aggregate.count);
        }
        this.foldIntoCoarser(ended);
        this.recentUpdates.write(this.kept(source, updates, times));
      });
    } catch (error) {
      this.ids.forget(created);
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
    const series = this.ids.get(id);
    try {
      if (series !== undefined && this.recentUpdates.markOwn(series, value, now)) return;
    } catch {
      // Only the mark is lost; the storage problem is shown where the database reports it.
      return;
    }
    this.ownWrites.expect(id, value, now);
  }

  /** A group's stored history over [from, to), in about `maxPoints` buckets per key. */
  read(source: string, groupID: string, keys: readonly string[], from: number, to: number, maxPoints: number): HistoryRead {
    const request: ReadRequest = { source, groupID, keys, from, to, maxPoints };
    return readHistory(this.database, this.ids, (series) => this.open.get(series), request, this.clock.now());
  }

  /** The newest raw updates of a service, newest first. */
  recent(source: string, limit: number): CounterUpdate[] {
    return this.recentUpdates.recent(source, limit);
  }

  /** When each of a group's keys last changed, for the keys with any history. */
  lastUpdates(source: string, groupID: string, keys: Iterable<string>): Map<string, number> {
    return lastUpdates(this.database, this.ids, source, groupID, keys);
  }

  /** The oldest time any history is kept from, or null when there is none. */
  oldest(): number | null {
    return oldestHistory(this.database, this.ids);
  }

  /**
   * Deletes the history from before `before`, one series per transaction, yielding between them. A
   * bucket reaching past it goes only if all its updates came before.
   */
  async deleteBefore(before: number): Promise<void> {
    const drop = 'DELETE FROM bucket WHERE tier = ? AND series_id = ? AND at < ? AND (at < ? OR last_at < ?)';
    for (const id of [...this.ids.all()]) {
      this.database.write(() => {
        for (let tier = 0; tier < HISTORY_TIERS.length; tier += 1) this.database.statement(drop).run(tier, id, before, bucketStart(tier, before), before);
        this.recentUpdates.deleteBefore(id, before);
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.database.reclaim();
  }

  /** Drops what each tier keeps no longer. */
  prune(now: number): void {
    this.database.write(() => {
      const drop = this.database.statement('DELETE FROM bucket WHERE tier = ? AND series_id = ? AND at < ?');
      for (const id of this.ids.all()) HISTORY_TIERS.forEach((tier, index) => drop.run(index, id, bucketStart(index, now - tier.keepMs)));
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

  /** The raw updates of a batch worth keeping: the newest, as many as the event log shows, with all own ones. */
  private kept(source: string, updates: readonly CounterUpdate[], times: readonly number[]): RecentRow[] {
    const firstKept = updates.length - MAX_RECENT_UPDATES;
    const rows: RecentRow[] = [];
    updates.forEach((update, index) => {
      if (index < firstKept && update.own !== true) return;
      rows.push({ series: this.ids.get(seriesKey(source, update.groupID, update.key))!, at: times[index]!, update });
    });
    return rows;
  }

  /**
   * This run's open seconds with a batch's parts added: those before `current` have ended and go
   * to the coarser tiers, the one of `current` stays open. Changes nothing.
   */
  private advance(parts: ReadonlyMap<string, OpenSecond[]>, current: number): { ended: Ended[]; open: Map<string, OpenSecond> } {
    const ended: Ended[] = [];
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
          const aggregate: Aggregate = { ...carried.aggregate };
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
  private foldIntoCoarser(ended: readonly Ended[]): void {
    if (ended.length === 0) return;
    const merge = this.database.statement(MERGE_BUCKET_SQL);
    let through = this.foldedThrough;
    for (const { id, second: { second, aggregate } } of ended) {
      const series = this.ids.get(id)!;
      const { min, max, last, lastAt, count } = aggregate;
      for (let tier = 1; tier < HISTORY_TIERS.length; tier += 1) merge.run(tier, series, bucketStart(tier, second), min, max, last, lastAt, count);
      through = Math.max(through, second + HISTORY_TIERS[0]!.resolutionMs);
    }
    this.database.statement('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(FOLDED_THROUGH, String(through));
    this.foldedThrough = through;
  }

  /**
   * At start: the finest buckets a crashed run wrote but did not add to the coarser tiers (one seek
   * per series). Those of ended seconds are added now; the newest second may go on in this run, so
   * it is taken up as this run's open second and added when it ends.
   */
  private foldUnfolded(): void {
    const unfolded = this.database.statement('SELECT at, min, max, last, last_at, count FROM bucket WHERE tier = 0 AND series_id = ? AND at >= ?');
    const found: Ended[] = [];
    for (const [name, id] of this.ids.entries()) {
      for (const row of unfolded.all(id, this.foldedThrough) as { at: bigint; min: bigint; max: bigint; last: bigint; last_at: bigint; count: bigint }[]) {
        const aggregate: Aggregate = { min: row.min, max: row.max, last: row.last, lastAt: Number(row.last_at), count: Number(row.count) };
        found.push({ id: name, second: { second: Number(row.at), aggregate } });
        this.latest = Math.max(this.latest, aggregate.lastAt);
      }
    }
    const newest = found.reduce((latest, { second }) => Math.max(latest, second.second), 0);
    const ended = found.filter(({ second }) => second.second < newest);
    for (const { id, second } of found) if (second.second === newest) this.open.set(id, second);
    if (ended.length > 0) this.database.write(() => this.foldIntoCoarser(ended));
  }
}
