import type { CounterUpdate } from '../../../shared/types';
import type { Database } from '../store/database';
import { RECENT_UPDATES_KEPT } from './history-tiers';
import { OWN_MATCH_MS } from './own-writes';

/** One raw update as kept: its series' stored id, and the time as recorded. */
export interface RecentRow {
  series: number;
  at: number;
  update: CounterUpdate;
}

interface Newest {
  slot: number;
  seq: number;
  value: string;
  at: number;
  own: boolean;
}

/**
 * The newest raw updates, for the event log: a ring of RECENT_UPDATES_KEPT rows, each new one
 * taking the slot of the oldest. The table never grows and nothing has to be pruned, however busy
 * the stream; values are stored and read as decimal text, never through a float.
 */
export class RecentUpdates {
  private nextSeq: number;
  /** Each series' newest row, to mark it as own when the confirmation comes after it. */
  private readonly newest = new Map<number, Newest>();

  constructor(private readonly database: Database) {
    const row = database.statement('SELECT max(seq) AS seq FROM recent_update').get() as { seq: bigint | null };
    this.nextSeq = Number(row.seq ?? 0n) + 1;
  }

  /** Keeps rows, oldest first; inside a write. */
  write(rows: readonly RecentRow[]): void {
    const put = this.database.statement('INSERT OR REPLACE INTO recent_update (slot, seq, series_id, at, value, previous, own, inexact) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const { series, at, update } of rows) {
      const seq = this.nextSeq++;
      const slot = seq % RECENT_UPDATES_KEPT;
      const own = update.own === true;
      put.run(slot, seq, series, at, update.value, update.previous, own ? 1 : 0, update.inexact ? 1 : 0);
      this.newest.set(series, { slot, seq, value: update.value, at, own });
    }
  }

  /** Marks a series' newest row as own if it holds `value` and came lately; whether it did. */
  markOwn(series: number, value: string, now: number): boolean {
    const row = this.newest.get(series);
    if (row === undefined || row.own || row.value !== value || now - row.at > OWN_MATCH_MS) return false;
    row.own = true;
    this.database.write(() => this.database.statement('UPDATE recent_update SET own = 1 WHERE slot = ? AND seq = ?').run(row.slot, row.seq));
    return true;
  }

  /** The newest rows of a service, newest first. */
  recent(source: string, limit: number): CounterUpdate[] {
    const rows = this.database
      .statement(
        `SELECT s.group_id, s.key, r.at, CAST(r.value AS TEXT) AS value, CAST(r.previous AS TEXT) AS previous, r.own, r.inexact
         FROM recent_update r JOIN series s ON s.id = r.series_id WHERE s.source = ? ORDER BY r.seq DESC LIMIT ?`,
      )
      .all(source, limit) as { group_id: string; key: string; at: bigint; value: string; previous: string | null; own: bigint; inexact: bigint }[];
    return rows.map((row) => ({
      groupID: row.group_id,
      key: row.key,
      value: row.value,
      previous: row.previous,
      at: Number(row.at),
      ...(row.inexact === 1n && { inexact: true as const }),
      ...(row.own === 1n && { own: true as const }),
    }));
  }

  /** Deletes a series' rows from before `before`; inside a write. */
  deleteBefore(series: number, before: number): void {
    this.database.statement('DELETE FROM recent_update WHERE series_id = ? AND at < ?').run(series, before);
  }
}
