import type { StatementSync } from 'node:sqlite';
import type { Database } from '../../electron/core/store/database';

/** Time spent in SQLite per kind of statement, and in commits. */
export interface Dissection {
  /** Per label: ms and calls since the last reset. */
  readonly parts: Map<string, { ms: number; calls: number }>;
  /** While false, calls go straight through, untimed. */
  timing: boolean;
  reset(): void;
}

/** Short names for the history's statements; a statement not listed is named by its first words. */
const LABELS: [RegExp, string | ((args: unknown[]) => string)][] = [
  [/^\s*INSERT INTO bucket .*ON CONFLICT/s, (args) => (args[0] === 0 ? 'tier-0 bucket merges' : 'coarser bucket merges (seconds that ended)')],
  [/^\s*INSERT OR REPLACE INTO recent_update/s, 'raw updates for the event log (the ring)'],
  [/^\s*INSERT INTO meta/s, 'meta row (folded through)'],
  [/^\s*SELECT series_id, at, CAST/s, 'bucket range reads (one per tier for a group)'],
  [/^\s*SELECT CAST\(last AS TEXT\) AS last FROM bucket/s, 'value before the range (one seek)'],
  [/^\s*SELECT at, min, max, last, last_at, count FROM bucket WHERE tier = 0 AND series_id/s, 'seconds not yet added up (foldUnfolded, one seek per series)'],
  [/^\s*SELECT id, source, group_id, key FROM series/s, 'SELECT … FROM series (the series ids)'],
  [/^\s*SELECT value FROM meta/s, 'SELECT … FROM meta (folded through)'],
  [/^\s*DELETE FROM bucket/s, 'prune: buckets'],
];

/** A statement's label, found once per statement (a label may depend on the call's arguments). */
function labelFor(sql: string): (args: unknown[]) => string {
  for (const [pattern, label] of LABELS) if (pattern.test(sql)) return typeof label === 'string' ? () => label : label;
  const named = sql.trim().split(/\s+/).slice(0, 6).join(' ');
  return () => named;
}

/**
 * Wraps a database's statements (and its BEGIN and COMMIT) with timers, for the benchmark's "where
 * the time goes" rows. Only the benchmark's own instance is touched: the wrapper is set on the
 * object, the core's code is unchanged. Each timed call costs a little more (two clock reads and a map update).
 */
export function dissect(database: Database): Dissection {
  const parts = new Map<string, { ms: number; calls: number }>();
  const state = { timing: true };
  const add = (label: string, ms: number): void => {
    const part = parts.get(label) ?? { ms: 0, calls: 0 };
    part.ms += ms;
    part.calls += 1;
    parts.set(label, part);
  };
  const wrapped = new Map<string, StatementSync>();
  const wrap = (kind: 'statement' | 'arrayStatement'): void => {
    const original = database[kind].bind(database);
    database[kind] = (sql: string): StatementSync => {
      let statement = wrapped.get(`${kind}\u0000${sql}`);
      if (statement !== undefined) return statement;
      const inner = original(sql);
      const labelOf = labelFor(sql);
      const timed = (method: 'run' | 'get' | 'all') => (...args: unknown[]) => {
        if (!state.timing) return (inner[method] as (...values: unknown[]) => unknown)(...args);
        const started = performance.now();
        try {
          return (inner[method] as (...values: unknown[]) => unknown)(...args);
        } finally {
          add(labelOf(args), performance.now() - started);
        }
      };
      statement = Object.assign(Object.create(inner) as StatementSync, { run: timed('run'), get: timed('get'), all: timed('all') });
      wrapped.set(`${kind}\u0000${sql}`, statement);
      return statement;
    };
  };
  wrap('statement');
  wrap('arrayStatement');
  // The connection is private to Database; reached here only to time BEGIN and COMMIT (the fsync of synchronous FULL).
  const db = (database as unknown as { db: { exec(sql: string): void } }).db;
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (!state.timing) return exec(sql);
    const started = performance.now();
    try {
      exec(sql);
    } finally {
      add(sql === 'COMMIT' ? 'COMMIT (WAL write and fsync)' : sql.split(' ')[0]!, performance.now() - started);
    }
  };
  return {
    parts,
    get timing() {
      return state.timing;
    },
    set timing(on: boolean) {
      state.timing = on;
    },
    reset: () => parts.clear(),
  };
}
