import { DatabaseSync } from 'node:sqlite';

/**
 * Looks into a Countdeck database from outside the core, read-only, with plain SQL: what a test
 * compares the core's answers with. Nothing here uses the core's own code.
 */

/** Opens `file` read-only, runs `work`, closes it again. */
export function withReadOnly<T>(file: string, work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** The rows of `PRAGMA integrity_check`, joined: 'ok' for a sound database; what SQLite threw when the damage stops the check itself. */
export function integrityCheck(file: string): string {
  try {
    return withReadOnly(file, (db) =>
      (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((row) => row.integrity_check).join('; '),
    );
  } catch (error) {
    return `the check failed: ${(error as Error).message}`;
  }
}

/** The embedded service's stored counters of one group. */
export function storedCounters(file: string, groupID: string): Map<string, bigint> {
  return withReadOnly(file, (db) => {
    const statement = db.prepare('SELECT key, value FROM service_counter WHERE group_id = ? ORDER BY rowid');
    statement.setReadBigInts(true);
    return new Map((statement.all(groupID) as { key: string; value: bigint }[]).map((row) => [row.key, row.value]));
  });
}

/** Per key, the summed deltas of the journal's intents on one group, by state ('open', 'confirmed', 'failed'). */
export interface JournalSums {
  /** state → key → summed value of that key's parts */
  byState: Record<string, Map<string, bigint>>;
  /** state → number of intents */
  intents: Record<string, number>;
  /** write_call outcome → number of calls */
  calls: Record<string, number>;
  /** Open intents whose part was carried by a call the journal had already closed as 'confirmed'. */
  openOnConfirmedCalls: number;
  /** The codes of failed intents → how many. */
  failures: Record<string, number>;
}

export function journalSums(file: string, groupID: string): JournalSums {
  return withReadOnly(file, (db) => {
    const sums = db.prepare(
      'SELECT i.state, p.key, sum(p.value) AS total FROM intent i JOIN intent_part p ON p.intent_id = i.id WHERE i.group_id = ? GROUP BY i.state, p.key',
    );
    sums.setReadBigInts(true);
    const byState: Record<string, Map<string, bigint>> = {};
    for (const row of sums.all(groupID) as { state: string; key: string; total: bigint }[]) {
      (byState[row.state] ??= new Map()).set(row.key, row.total);
    }
    const intents = Object.fromEntries(
      (db.prepare('SELECT state, count(*) AS n FROM intent WHERE group_id = ? GROUP BY state').all(groupID) as { state: string; n: number }[]).map((row) => [
        row.state,
        row.n,
      ]),
    );
    const calls = Object.fromEntries(
      (db.prepare('SELECT outcome, count(*) AS n FROM write_call WHERE group_id = ? GROUP BY outcome').all(groupID) as { outcome: string; n: number }[]).map(
        (row) => [row.outcome, row.n],
      ),
    );
    const { n: openOnConfirmedCalls } = db
      .prepare(
        "SELECT count(DISTINCT i.id) AS n FROM intent i JOIN intent_part p ON p.intent_id = i.id JOIN write_call c ON c.id = p.call_id WHERE i.group_id = ? AND i.state = 'open' AND c.outcome = 'confirmed'",
      )
      .get(groupID) as { n: number };
    const failures: Record<string, number> = {};
    for (const { failure } of db.prepare("SELECT failure FROM intent WHERE group_id = ? AND state = 'failed'").all(groupID) as { failure: string | null }[]) {
      const code = failure === null ? 'none' : String((JSON.parse(failure) as { code: number }).code);
      failures[code] = (failures[code] ?? 0) + 1;
    }
    return { byState, intents, calls, openOnConfirmedCalls, failures };
  });
}

/** How many rows a table holds. */
export function rowCount(file: string, table: string): number {
  return withReadOnly(file, (db) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
}
