import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ErrorCode, type ErrorInfo } from '../../../shared/errors';
import { Listeners } from '../listeners';
import type { Logger } from '../logger';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations';
import { checkIntegrity } from './integrity-check';
import { diagnoseWriteFailure, sqliteCode } from './storage-errors';

export const DATABASE_FILE_NAME = 'countdeck.db';
/** Beside the database when the background check found it damaged: the next start moves it aside. */
const DAMAGE_MARK = '.damaged';

/** SQLite's answers for a file that is not a database, or a damaged one. */
export const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
/** The tables read whole at start, checked page by page before anything reads them; the buckets are checked in the background. */
const CHECKED_AT_START = ['meta', 'service_group', 'service_member', 'service_counter', 'write_call', 'intent', 'intent_part', 'series', 'recent_update', 'broadcast', 'broadcast_baseline'];

export interface DatabaseOptions {
  /** The profile's data folder; absent: an in-memory database, nothing written to disk. */
  dataDir?: string;
  /** The time, for naming a damaged file that is moved aside. */
  now: () => number;
  log: Logger;
}

export interface OpenedDatabase {
  database: Database;
  /** What the operator should know about opening it (a damaged file moved aside, memory only), or null. */
  notice: ErrorInfo | null;
}

/**
 * Countdeck's database: one SQLite file per profile, in WAL mode, every write one committed
 * transaction (synchronous FULL: committed means on disk). Integers are read as bigint so no
 * counter value ever passes through a float. A failed write throws a coded error saying what
 * happened; the state in the file is as it was before the write.
 */
export class Database {
  private readonly statements = new Map<string, StatementSync>();
  private writeFailure: ErrorInfo | null = null;
  private damage: ErrorInfo | null = null;
  private readonly problems = new Listeners<ErrorInfo | null>();
  private check: { stop(): void } | null = null;

  constructor(
    private readonly db: DatabaseSync,
    /** The file, or null for an in-memory database. */
    readonly file: string | null,
    /** Why this run keeps its data in memory although a data folder was given, if it does. */
    private readonly memoryBecause: ErrorInfo | null,
  ) {}

  /** The storage problem to show: the last failed write until one succeeds, or why the data is in memory. */
  get problem(): ErrorInfo | null {
    return this.writeFailure ?? this.damage ?? this.memoryBecause;
  }

  /**
   * Checks the whole file in the background; damage found is shown as the problem and marked
   * beside the file, so the next start moves it aside before opening it.
   */
  checkInBackground(log: Logger): void {
    if (this.file === null) return;
    const file = this.file;
    this.check = checkIntegrity(file, (verdict) => {
      this.check = null;
      if ('failed' in verdict) return log.warn(`The integrity check of ${file} could not run: ${verdict.failed}`);
      if (verdict.damage.length > 0) this.markDamaged(`integrity check: ${verdict.damage.slice(0, 3).join('; ')}`, log);
    });
  }

  /** Shows damage found in the file, and marks it so the next start moves it aside before opening it. */
  markDamaged(reason: string, log: Logger): void {
    if (this.file === null || this.damage !== null) return;
    log.error(`The database ${this.file} is damaged (${reason}); the next start moves it aside.`);
    try {
      writeFileSync(`${this.file}${DAMAGE_MARK}`, reason);
    } catch (error) {
      log.error(`Marking ${this.file} as damaged failed: ${(error as Error).message}`);
    }
    this.damage = {
      code: ErrorCode.DATABASE_DAMAGED,
      message: `Countdeck found damage in ${this.file} (${reason}). Restart Countdeck: it then moves the file aside and starts with a fresh one.`,
    };
    this.problems.emit(this.problem);
  }

  /** Hears when `problem` changes. */
  onProblem(listener: (problem: ErrorInfo | null) => void): () => void {
    return this.problems.add(listener);
  }

  /** A prepared statement, made once per text, reading integers as bigint. */
  statement(sql: string): StatementSync {
    return this.prepared(sql, false);
  }

  /** The same, answering each row as an array of its columns: for reads of many rows, where an object per row costs. */
  arrayStatement(sql: string): StatementSync {
    return this.prepared(sql, true);
  }

  private prepared(sql: string, arrays: boolean): StatementSync {
    const name = arrays ? `arrays\u0000${sql}` : sql;
    let statement = this.statements.get(name);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      statement.setReadBigInts(true);
      statement.setReturnArrays(arrays);
      this.statements.set(name, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one transaction and commits it; if anything fails, nothing of it stays and a
   * coded error (disk full, read-only, I/O) is thrown. Writes inside a write join it.
   */
  write<T>(work: () => T): T {
    if (this.db.isTransaction) return work();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const result = work();
      this.db.exec('COMMIT');
      this.setWriteFailure(null);
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      const failure = diagnoseWriteFailure(error, this.folder);
      if (failure.code !== ErrorCode.INTERNAL) this.setWriteFailure(failure.toInfo());
      throw failure;
    }
  }

  /** Gives the pages freed by deletions back to the file system, so the file (and its log) shrink. */
  reclaim(): void {
    try {
      this.db.exec('PRAGMA incremental_vacuum');
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // The pages stay free inside the file and are used again; nothing is lost.
    }
  }

  /** Bytes the database takes on disk (the file and its write-ahead log), or in memory. */
  sizeBytes(): number {
    if (this.file === null) {
      const pages = this.statement('PRAGMA page_count').get() as { page_count: bigint };
      const size = this.statement('PRAGMA page_size').get() as { page_size: bigint };
      return Number(pages.page_count * size.page_size);
    }
    return [this.file, `${this.file}-wal`].reduce((sum, path) => sum + fileSize(path), 0);
  }

  close(): void {
    this.check?.stop();
    if (!this.db.isOpen) return;
    this.statements.clear();
    this.db.close();
  }

  private get folder(): string | null {
    return this.file === null ? null : join(this.file, '..');
  }

  private setWriteFailure(failure: ErrorInfo | null): void {
    if (failure?.code === this.writeFailure?.code) return;
    this.writeFailure = failure;
    this.problems.emit(this.problem);
  }
}

/**
 * Opens the profile's database, creating or migrating it. Never throws: a damaged file is moved
 * aside (and the notice names where only if that worked), a newer schema is left untouched, and
 * whatever cannot be opened leaves this run on an in-memory database, saying why.
 */
export function openDatabase(options: DatabaseOptions): OpenedDatabase {
  if (options.dataDir === undefined) return { database: memoryDatabase(null), notice: null };
  return openFile(options.dataDir, options);
}

function openFile(dataDir: string, options: DatabaseOptions): OpenedDatabase {
  const file = join(dataDir, DATABASE_FILE_NAME);
  const found = inspect(file);
  if (found.kind === 'newer') {
    const notice: ErrorInfo = {
      code: ErrorCode.DATABASE_TOO_NEW,
      message: `The database ${file} was written by a newer version of Countdeck (schema ${found.version}; this one knows ${SCHEMA_VERSION}). It was left untouched; this run keeps everything in memory. Update Countdeck to use it.`,
    };
    options.log.warn(notice.message);
    return { database: memoryDatabase(notice), notice };
  }
  let notice: ErrorInfo | null = null;
  if (found.kind === 'damaged') {
    const backup = `${file}.damaged-${new Date(options.now()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      moveAside(file, backup);
      rmSync(`${file}${DAMAGE_MARK}`, { force: true });
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const memory: ErrorInfo = {
        code: ErrorCode.DATABASE_IN_MEMORY,
        message: `The database ${file} is damaged (${found.reason}) and could not be moved aside (${why}). It stays where it is; this run keeps everything in memory.`,
      };
      options.log.error(memory.message);
      return { database: memoryDatabase(memory), notice: memory };
    }
    notice = {
      code: ErrorCode.DATABASE_RECOVERED,
      message: `The database was damaged (${found.reason}): it was moved to ${backup}, and Countdeck started with a fresh one.`,
    };
    options.log.warn(notice.message);
  }
  try {
    mkdirSync(dataDir, { recursive: true });
    const database = new Database(configured(new DatabaseSync(file)), file, null);
    database.checkInBackground(options.log);
    return { database, notice };
  } catch (error) {
    const reason = diagnoseWriteFailure(error, dataDir).message;
    const memory: ErrorInfo = {
      code: ErrorCode.DATABASE_IN_MEMORY,
      message: `Countdeck cannot write its database ${file}: ${reason} This run keeps everything in memory.`,
    };
    options.log.error(memory.message);
    return { database: memoryDatabase(memory), notice: memory };
  }
}

type Inspection = { kind: 'absent' | 'usable' } | { kind: 'newer'; version: number } | { kind: 'damaged'; reason: string };

/**
 * Looks at an existing file without writing to it: its schema version, whether SQLite can read its
 * header and schema, and whether an earlier run's background check found it damaged. The full
 * check of every page runs in the background once the file is open (see checkInBackground).
 */
function inspect(file: string): Inspection {
  if (fileSize(file) === 0) return { kind: 'absent' };
  const marked = readMark(`${file}${DAMAGE_MARK}`);
  if (marked !== null) return { kind: 'damaged', reason: marked };
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) return { kind: 'newer', version };
    const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
    for (const table of CHECKED_AT_START.filter((name) => tables.has(name))) {
      const problems = (db.prepare(`PRAGMA integrity_check(${table})`).all() as { integrity_check: string }[]).map((row) => row.integrity_check);
      if (problems.length !== 1 || problems[0] !== 'ok') return { kind: 'damaged', reason: `integrity check of ${table}: ${problems.slice(0, 3).join('; ')}` };
    }
    return { kind: 'usable' };
  } catch (error) {
    const code = sqliteCode(error);
    if (code === SQLITE_NOTADB) return { kind: 'damaged', reason: 'it is not a database' };
    if (code === SQLITE_CORRUPT) return { kind: 'damaged', reason: (error as Error).message };
    // Unreadable for another reason (permissions, I/O): opening it for writing will say why.
    return { kind: 'usable' };
  } finally {
    db?.close();
  }
}

function readMark(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim() || 'found damaged by an earlier check';
  } catch {
    return null;
  }
}

function configured(db: DatabaseSync): DatabaseSync {
  try {
    // Only takes effect on a new file: lets deleted history give its space back.
    db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA busy_timeout = 2000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function memoryDatabase(memoryBecause: ErrorInfo | null): Database {
  const db = new DatabaseSync(':memory:');
  db.exec('PRAGMA auto_vacuum = INCREMENTAL');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);
  return new Database(db, null, memoryBecause);
}

/**
 * Moves the file and its write-ahead log aside together: a log left behind would be read into the
 * next file of that name. The log goes first, and comes back if the file cannot follow it.
 */
function moveAside(file: string, backup: string): void {
  const moved: [string, string][] = [];
  try {
    for (const suffix of ['-wal', '-shm', '']) {
      const from = `${file}${suffix}`;
      if (suffix !== '' && !exists(from)) continue;
      renameSync(from, `${backup}${suffix}`);
      moved.push([from, `${backup}${suffix}`]);
    }
  } catch (error) {
    for (const [from, to] of moved.reverse()) renameSync(to, from);
    throw error;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
