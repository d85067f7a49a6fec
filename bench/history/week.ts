import { createCore } from '../../electron/core/create-core';
import { bucketStart, HISTORY_TIERS, RECENT_UPDATES_KEPT } from '../../electron/core/history/history-tiers';
import { silentLogger } from '../../electron/core/logger';
import { openDatabase, type Database } from '../../electron/core/store/database';
import { checkpoint, fileBytes, groupName, GROUPS, LOCAL_SOURCE, seeded, seriesLayout, spaceByTable, tempFolder, type SeriesRef } from './common';

const SECOND = 1_000;
export const WEEK_MS = 7 * 24 * 60 * 60 * SECOND;
const TIERS = HISTORY_TIERS.length;
/** CounterHistory's meta row: every finest bucket before this time is in the coarser tiers too. */
const FOLDED_THROUGH = 'history_folded_through';

export interface WeekProfile {
  /** The profile's data folder and its database file. */
  dir: string;
  file: string;
  layout: SeriesRef[];
  /** The week's history ends here (a second's start): updates came in every second before it. */
  end: number;
  /** Buckets stored per tier, in all (400 series). */
  rowsPerTier: number[];
  recentRows: number;
  /** Seconds spent simulating the week and writing it. */
  simulateSeconds: number;
  writeSeconds: number;
  /** After a checkpoint (TRUNCATE): the file's bytes, the bucket table's, and its bytes left unused in its pages. */
  bytes: number;
  bucketBytes: number;
  bucketUnused: number;
  remove(): void;
}

/** The buckets of one tier, in the order of the table's key (series, then time). */
class TierRows {
  private length = 0;
  private data: Float64Array;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity * 7);
  }

  get count(): number {
    return this.length;
  }

  push(series: number, at: number, min: number, max: number, last: number, lastAt: number, count: number): void {
    const offset = this.length * 7;
    const { data } = this;
    data[offset] = series;
    data[offset + 1] = at;
    data[offset + 2] = min;
    data[offset + 3] = max;
    data[offset + 4] = last;
    data[offset + 5] = lastAt;
    data[offset + 6] = count;
    this.length += 1;
  }

  row(index: number): number[] {
    return Array.from(this.data.subarray(index * 7, index * 7 + 7));
  }
}

/**
 * A profile as Countdeck would leave it after a week of watching 400 series (20 live rooms × 20
 * counters) at one update per second each, built in seconds rather than a week:
 *
 * 1. `createCore({ dataDir })` makes the database and the embedded service's state (the demo
 *    seed), and 20 rooms "Bench 00" … "Bench 19" with 20 counters each are created on it, so the
 *    service has its groups at the next start.
 * 2. The history tables are then replaced, in one transaction, by what the tiers would hold after
 *    the week, right after the core's prune at its end: every series' second-by-second random walk
 *    (counts up by 1–4, or wanders by ±1–3) is simulated in JS and every tier's buckets are its
 *    exact aggregates (min, max, last, last_at, count); each tier keeps the buckets its keep time
 *    covers (`HISTORY_TIERS`: 15 min of 1 s, 6 h of 10 s, and the whole week of 5 min and 30 min),
 *    the raw table the newest 5,000 updates, and the meta row says every ended second was added up.
 *    The service's counters are set to where the walks end.
 */
export async function buildWeekProfile(seed = 1): Promise<WeekProfile> {
  const folder = tempFolder('week');
  try {
    const layout = seriesLayout();
    const core = await createCore({ dataDir: folder.dir, log: silentLogger });
    for (let group = 0; group < GROUPS; group += 1) {
      const created = core.service.createGroup({ groupID: layout[group * 20]!.groupID, name: groupName(group), type: 'AVChatRoom', members: ['operator', 'moderator'] });
      if (!created.ok) throw new Error(`creating ${layout[group * 20]!.groupID}: ${created.error.message}`);
    }
    for (const { groupID, key } of layout) {
      const written = core.service.systemWrite(groupID, key, 1n);
      if (!written.ok) throw new Error(`creating ${groupID} ${key}: ${written.error.message}`);
    }
    await core.close();

    const end = bucketStart(0, Date.now());
    const start = end - WEEK_MS;
    const simulating = performance.now();
    const { tiers, recent, finals } = simulate(layout.length, start, end, seed);
    const simulateSeconds = (performance.now() - simulating) / 1_000;

    const { database } = openDatabase({ dataDir: folder.dir, now: Date.now, log: silentLogger });
    if (database.file === null) throw new Error('the week profile needs its database on disk');
    const file = database.file;
    try {
      const writing = performance.now();
      database.write(() => writeHistory(database, layout, tiers, recent, finals, end));
      checkpoint(database);
      const writeSeconds = (performance.now() - writing) / 1_000;
      const space = spaceByTable(database);
      const bucket = space.tables.get('bucket') ?? { bytes: 0, unused: 0, rows: 0 };
      return {
        dir: folder.dir,
        file,
        layout,
        end,
        rowsPerTier: tiers.map((rows) => rows.count),
        recentRows: recent.length,
        simulateSeconds,
        writeSeconds,
        bytes: fileBytes(file) + fileBytes(`${file}-wal`),
        bucketBytes: bucket.bytes,
        bucketUnused: bucket.unused,
        remove: folder.remove,
      };
    } finally {
      database.close();
    }
  } catch (error) {
    folder.remove();
    throw error;
  }
}

interface RecentRow {
  series: number;
  at: number;
  value: number;
  previous: number;
}

/**
 * Every series' walk, second by second over [start, end), reduced to what each tier keeps at `end`.
 * Tier 0 takes each second as it is; tier 1 adds up the seconds of its buckets, and the coarser tiers
 * add up tier 1's buckets (each width is a whole multiple of tier 1's), which gives the same min,
 * max, last and count as adding up the seconds.
 */
function simulate(seriesCount: number, start: number, end: number, seed: number): { tiers: TierRows[]; recent: RecentRow[]; finals: number[] } {
  const random = seeded(seed);
  const widths = HISTORY_TIERS.map((tier) => tier.resolutionMs);
  // What each tier still holds after the prune at `end` (CounterHistory.prune: at >= bucketStart(tier, end − keep)).
  const keptFrom = HISTORY_TIERS.map((tier, index) => bucketStart(index, end - tier.keepMs));
  const perSeries = widths.map((width, tier) => Math.ceil((end - Math.max(bucketStart(tier, start), keptFrom[tier]!)) / width) + 1);
  const tiers = perSeries.map((rows) => new TierRows(rows * seriesCount));
  const recentFrom = end - Math.ceil(RECENT_UPDATES_KEPT / seriesCount + 1) * SECOND;
  const recent: RecentRow[] = [];
  const finals: number[] = [];
  const width1 = widths[1]!;
  // The open bucket of each tier from 2 on: start, min, max, last, last_at, count.
  const openAt = new Float64Array(TIERS);
  const openMin = new Float64Array(TIERS);
  const openMax = new Float64Array(TIERS);
  const openLast = new Float64Array(TIERS);
  const openLastAt = new Float64Array(TIERS);
  const openCount = new Float64Array(TIERS);
  for (let series = 0; series < seriesCount; series += 1) {
    const id = series + 1;
    openAt.fill(Number.NaN);
    const closeCoarse = (tier: number): void => {
      if (openAt[tier]! >= keptFrom[tier]!) tiers[tier]!.push(id, openAt[tier]!, openMin[tier]!, openMax[tier]!, openLast[tier]!, openLastAt[tier]!, openCount[tier]!);
    };
    // The open bucket of tier 1, in a typed array: doubles in closure variables would be boxed on every write.
    const block = new Float64Array(6);
    const closeBlock = (): void => {
      const [blockAt, blockMin, blockMax, blockLast, blockLastAt, blockCount] = block as unknown as [number, number, number, number, number, number];
      if (blockCount === 0) return;
      if (blockAt >= keptFrom[1]!) tiers[1]!.push(id, blockAt, blockMin, blockMax, blockLast, blockLastAt, blockCount);
      for (let tier = 2; tier < TIERS; tier += 1) {
        const at = blockAt - (blockAt % widths[tier]!);
        if (openAt[tier] !== at) {
          if (!Number.isNaN(openAt[tier]!)) closeCoarse(tier);
          openAt[tier] = at;
          openMin[tier] = blockMin;
          openMax[tier] = blockMax;
          openCount[tier] = 0;
        }
        if (blockMin < openMin[tier]!) openMin[tier] = blockMin;
        if (blockMax > openMax[tier]!) openMax[tier] = blockMax;
        openLast[tier] = blockLast;
        openLastAt[tier] = blockLastAt;
        openCount[tier] = openCount[tier]! + blockCount;
      }
    };
    // Even keys count up (likes, gifts); odd ones wander (viewers, online).
    const countsUp = series % 2 === 0;
    let value = 100 + Math.floor(random() * 100_000);
    let blockEnd = Number.NEGATIVE_INFINITY;
    for (let second = start; second < end; second += SECOND) {
      const previous = value;
      if (countsUp) value += 1 + Math.floor(random() * 4);
      else {
        const step = 1 + Math.floor(random() * 3);
        value = random() < 0.5 && value - step >= 0 ? value - step : value + step;
      }
      const at = second + Math.floor(random() * SECOND);
      if (at >= recentFrom) recent.push({ series: id, at, value, previous });
      if (second >= keptFrom[0]!) tiers[0]!.push(id, second, value, value, value, at, 1);
      if (second >= blockEnd) {
        closeBlock();
        block[0] = second - (second % width1);
        blockEnd = block[0] + width1;
        block[1] = value;
        block[2] = value;
        block[5] = 0;
      }
      if (value < block[1]!) block[1] = value;
      if (value > block[2]!) block[2] = value;
      block[3] = value;
      block[4] = at;
      block[5] = block[5]! + 1;
    }
    closeBlock();
    for (let tier = 2; tier < TIERS; tier += 1) if (!Number.isNaN(openAt[tier]!)) closeCoarse(tier);
    finals.push(value);
  }
  recent.sort((a, b) => a.at - b.at || a.series - b.series);
  return { tiers, recent: recent.slice(-RECENT_UPDATES_KEPT), finals };
}

/** Replaces the history tables with the simulated week (inside a write), and the service's counters with the walks' ends. */
function writeHistory(database: Database, layout: readonly SeriesRef[], tiers: readonly TierRows[], recent: readonly RecentRow[], finals: readonly number[], end: number): void {
  database.statement('DELETE FROM recent_update').run();
  database.statement('DELETE FROM bucket').run();
  database.statement('DELETE FROM broadcast_baseline').run();
  database.statement('DELETE FROM broadcast').run();
  database.statement('DELETE FROM series').run();
  const series = database.statement('INSERT INTO series (id, source, group_id, key) VALUES (?, ?, ?, ?)');
  layout.forEach(({ groupID, key }, index) => series.run(index + 1, LOCAL_SOURCE, groupID, key));
  const bucket = database.statement('INSERT INTO bucket (tier, series_id, at, min, max, last, last_at, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  tiers.forEach((rows, tier) => {
    for (let index = 0; index < rows.count; index += 1) {
      const [id, at, min, max, last, lastAt, count] = rows.row(index) as [number, number, number, number, number, number, number];
      bucket.run(tier, id, at, min, max, last, lastAt, count);
    }
  });
  const raw = database.statement('INSERT INTO recent_update (slot, seq, series_id, at, value, previous, own, inexact) VALUES (?, ?, ?, ?, ?, ?, 0, 0)');
  recent.forEach((row, index) => raw.run((index + 1) % RECENT_UPDATES_KEPT, index + 1, row.series, row.at, row.value, row.previous));
  database.statement('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(FOLDED_THROUGH, String(end));
  const counter = database.statement('UPDATE service_counter SET value = ? WHERE group_id = ? AND key = ?');
  layout.forEach(({ groupID, key }, index) => {
    const changed = counter.run(finals[index]!, groupID, key);
    if (Number(changed.changes) !== 1) throw new Error(`no service counter ${groupID} ${key} to set`);
  });
}
