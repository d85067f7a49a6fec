import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import type { CounterUpdate } from '../../shared/types';
import type { Clock } from '../../electron/core/clock';
import { CounterHistory } from '../../electron/core/history/counter-history';
import { silentLogger } from '../../electron/core/logger';
import { openDatabase } from '../../electron/core/store/database';
import { dissect } from './dissect';
import { checkpoint, fileBytes, LOCAL_SOURCE, seriesLayout, spaceByTable, tempFolder, tierCounts } from './common';

/** How often the core adds up ended seconds and drops old history (records.ts: FOLD_EVERY_MS, PRUNE_EVERY_MS). */
const FOLD_EVERY_MS = 5_000;
const PRUNE_EVERY_MS = 60_000;
/** Stream time starts here (a Monday noon): the history's clock is the stream's, not the machine's. */
const START = Date.UTC(2026, 0, 5, 12, 0, 0);

export interface IngestOptions {
  /** Updates per second of stream, spread round-robin over the 400 series. */
  rate: number;
  /** Seconds of stream fed. */
  seconds: number;
  /** Run the core's upkeep on the stream's clock: ended seconds added up every 5 s, old history dropped every 60 s. */
  upkeep: boolean;
  /** Time each kind of statement, and the commits (see dissect.ts). */
  dissect?: boolean;
}

export interface IngestRun {
  rate: number;
  seconds: number;
  updatesPerBatch: number;
  batches: number;
  fed: number;
  /** Main-thread ms of each `record()` call. */
  batchMs: number[];
  /** Main-thread ms of each upkeep round (fold, and prune when due), and of the prunes alone. */
  foldMs: number[];
  pruneMs: number[];
  /** Seconds spent in `record()` in all. */
  recordSeconds: number;
  /** Fed minus what the tier-0 buckets count, before close; and the coarser tiers' shortfall after close (every second added up). */
  lostTier0: number;
  lostCoarser: number[];
  /** The database after close and a checkpoint: its bytes, and per table (dbstat). */
  bytes: number;
  bucketRows: number;
  bucketBytes: number;
  bucketUnused: number;
  recentRows: number;
  recentBytes: number;
  freeBytes: number;
  /** With `dissect`: ms and calls per kind of statement over all batches. */
  parts: Map<string, { ms: number; calls: number }> | null;
}

/**
 * Feeds `CounterHistory.record()` on a file database the batches the core's batcher would make of a
 * stream at `rate`: one batch per 16 ms of stream, each update a +1 on the next series round-robin,
 * its `at` spread over the batch's interval. The batches are fed back to back (the stream's clock
 * is simulated), and only `record()` (and the upkeep) is timed; the batch is built before the timer.
 */
export function ingest({ rate, seconds, upkeep, dissect: timed = false }: IngestOptions): IngestRun {
  const folder = tempFolder('ingest');
  let now = START;
  const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const { database } = openDatabase({ dataDir: folder.dir, now: () => now, log: silentLogger });
  try {
    if (database.file === null) throw new Error('the ingest benchmark needs its database on disk');
    const dissection = timed ? dissect(database) : null;
    const history = new CounterHistory(database, clock);
    dissection?.reset();
    const layout = seriesLayout();
    const values = layout.map((_, i) => 1_000 * (i + 1));
    const batches = Math.round((seconds * 1_000) / FLUSH_INTERVAL_MS);
    const perBatch = Math.max(1, Math.round((rate * FLUSH_INTERVAL_MS) / 1_000));
    const batchMs: number[] = [];
    const foldMs: number[] = [];
    const pruneMs: number[] = [];
    let next = 0;
    let fed = 0;
    let nextFold = START + FOLD_EVERY_MS;
    let nextPrune = START + PRUNE_EVERY_MS;
    for (let b = 0; b < batches; b += 1) {
      const from = START + b * FLUSH_INTERVAL_MS;
      const updates: CounterUpdate[] = new Array(perBatch);
      for (let i = 0; i < perBatch; i += 1) {
        const index = next;
        next = next + 1 === layout.length ? 0 : next + 1;
        const { groupID, key } = layout[index]!;
        const previous = values[index]!;
        values[index] = previous + 1;
        updates[i] = { groupID, key, value: String(previous + 1), previous: String(previous), at: from + Math.floor((i * FLUSH_INTERVAL_MS) / perBatch) };
      }
      // The batcher emits at the end of the interval.
      now = from + FLUSH_INTERVAL_MS;
      const started = performance.now();
      history.record(LOCAL_SOURCE, updates);
      batchMs.push(performance.now() - started);
      fed += perBatch;
      if (upkeep && now >= nextFold) {
        nextFold += FOLD_EVERY_MS;
        const began = performance.now();
        history.foldEnded(now);
        if (now >= nextPrune) {
          nextPrune += PRUNE_EVERY_MS;
          const pruning = performance.now();
          history.prune(now);
          pruneMs.push(performance.now() - pruning);
        }
        foldMs.push(performance.now() - began);
      }
    }
    const parts = dissection === null ? null : new Map(dissection.parts);
    const tier0 = tierCounts(database).find((tier) => tier.tier === 0)?.updates ?? 0;
    history.close();
    const after = tierCounts(database);
    checkpoint(database);
    const space = spaceByTable(database);
    const table = (name: string) => space.tables.get(name) ?? { bytes: 0, unused: 0, rows: 0 };
    return {
      rate,
      seconds,
      updatesPerBatch: perBatch,
      batches,
      fed,
      batchMs,
      foldMs,
      pruneMs,
      recordSeconds: batchMs.reduce((sum, ms) => sum + ms, 0) / 1_000,
      lostTier0: fed - tier0,
      lostCoarser: [1, 2, 3].map((tier) => fed - (after.find((found) => found.tier === tier)?.updates ?? 0)),
      bytes: fileBytes(database.file) + fileBytes(`${database.file}-wal`),
      bucketRows: table('bucket').rows,
      bucketBytes: table('bucket').bytes,
      bucketUnused: table('bucket').unused,
      recentRows: table('recent_update').rows,
      recentBytes: table('recent_update').bytes,
      freeBytes: space.freeBytes,
      parts,
    };
  } finally {
    database.close();
    folder.remove();
  }
}
