import type { DatabaseSync } from 'node:sqlite';

/**
 * The database's schema, one step per version: step N takes a database of version N to N + 1.
 * Steps are only ever added, never edited: a released database is at some step, and the steps after
 * it are what brings it up to date. Counter values are INTEGER, SQLite's signed 64-bit integer.
 */
const STEPS: readonly string[] = [
  `
  CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  -- The embedded service: what Tencent's servers would hold.
  CREATE TABLE service_group (
    group_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    counter_seq INTEGER NOT NULL
  ) STRICT;
  -- Rowid tables: the rowid keeps the order members joined and counters were created in.
  CREATE TABLE service_member (
    group_id TEXT NOT NULL REFERENCES service_group (group_id),
    user_id TEXT NOT NULL,
    UNIQUE (group_id, user_id)
  ) STRICT;
  CREATE TABLE service_counter (
    group_id TEXT NOT NULL REFERENCES service_group (group_id),
    key TEXT NOT NULL,
    value INTEGER NOT NULL,
    UNIQUE (group_id, key)
  ) STRICT;

  -- The intent journal: every change accepted from the operator, until its outcome is known.
  CREATE TABLE write_call (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    group_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('set', 'delta')),
    -- What it asked the service for: [[key, decimal], ...], the value to set or the signed change.
    payload TEXT NOT NULL,
    -- What the session held before the call: [[key, decimal or null], ...]
    before TEXT NOT NULL,
    before_seq INTEGER,
    sent_at INTEGER NOT NULL,
    outcome TEXT NOT NULL
  ) STRICT;
  CREATE INDEX write_call_account ON write_call (account, id);
  CREATE TABLE intent (
    id INTEGER PRIMARY KEY,
    -- Who it was accepted for: the service and the user ('local:operator', 'tencent:1400000000:alice').
    account TEXT NOT NULL,
    group_id TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'failed')),
    settled_at INTEGER,
    -- Why it failed: a coded error as JSON.
    failure TEXT
  ) STRICT;
  CREATE INDEX intent_open ON intent (account) WHERE state = 'open';
  CREATE INDEX intent_settled ON intent (settled_at) WHERE state <> 'open';
  CREATE TABLE intent_part (
    intent_id INTEGER NOT NULL REFERENCES intent (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('set', 'delta')),
    -- The value to set, or the signed change.
    value INTEGER NOT NULL,
    -- The call that carried it, once one did; null while it waits.
    call_id INTEGER REFERENCES write_call (id),
    PRIMARY KEY (intent_id, key)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX intent_part_call ON intent_part (call_id) WHERE call_id IS NOT NULL;

  -- The counter history of every service Countdeck watched.
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    -- Which service: 'local', or 'tencent:<SDKAppID>'.
    source TEXT NOT NULL,
    group_id TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE (source, group_id, key)
  ) STRICT;
  -- Buckets of every tier: tier 0 is the finest; each keeps what its updates had.
  CREATE TABLE bucket (
    tier INTEGER NOT NULL,
    series_id INTEGER NOT NULL REFERENCES series (id),
    at INTEGER NOT NULL,
    min INTEGER NOT NULL,
    max INTEGER NOT NULL,
    last INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (tier, series_id, at)
  ) STRICT, WITHOUT ROWID;
  -- The newest raw updates, for the event log: a ring, each row taking the slot (seq modulo its
  -- size) of the oldest; seq orders them.
  CREATE TABLE recent_update (
    slot INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    series_id INTEGER NOT NULL REFERENCES series (id),
    at INTEGER NOT NULL,
    value INTEGER NOT NULL,
    previous INTEGER,
    own INTEGER NOT NULL,
    inexact INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE broadcast (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  ) STRICT;
  CREATE UNIQUE INDEX broadcast_on ON broadcast (source) WHERE ended_at IS NULL;
  CREATE TABLE broadcast_baseline (
    broadcast_id INTEGER NOT NULL REFERENCES broadcast (id),
    group_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (broadcast_id, group_id, key)
  ) STRICT, WITHOUT ROWID;
  `,
];

/** The version of the newest schema this build knows. */
export const SCHEMA_VERSION = STEPS.length;

/** The schema version a database is at (0: new). */
export function schemaVersion(db: DatabaseSync): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number | bigint }).user_version);
}

/** Brings a database up to SCHEMA_VERSION, one committed step at a time; a newer one is the caller's to refuse. */
export function migrate(db: DatabaseSync): void {
  for (let version = schemaVersion(db); version < SCHEMA_VERSION; version += 1) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(STEPS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}
