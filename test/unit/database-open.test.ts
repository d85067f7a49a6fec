import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations';
import { ErrorCode } from '../../shared/errors';
import { corruptLeafOf, pageCount } from '../support/db-corrupt';
import { integrityCheck, storedCounters, withReadOnly } from '../support/db-inspect';
import { createFakeClock } from '../support/fake-clock';
import { closeCore, settleWithin, startCore } from '../support/fault-core';
import { bindReadOnly, mountSupport, mountTmpfs, remount, scratchDir, unmount, unmountAll } from '../support/mounts';

/**
 * Opening a database that cannot be used as it is. A file that is not a database (random bytes,
 * text) and a real database that fails `PRAGMA integrity_check` (a page in the middle overwritten)
 * are moved aside to `countdeck.db.damaged-<time>`, the notice (9030) names that path, and a fresh
 * database works and persists. When moving aside fails (the folder is a read-only mount), the
 * notice (9034) says where the file is and that this run keeps its state in memory, and the file
 * stays as it was. A database of a newer schema (`user_version` > SCHEMA_VERSION) is refused with
 * 9035 and never written: same bytes, same mtime, no write-ahead log content. A data folder that
 * is read-only from the start (ro tmpfs, ro bind mount) with a database in it: the core starts in
 * memory, the notice is 9034 naming the file, the file is untouched. The read-only cases need root
 * (mount) and are skipped with one line otherwise.
 */

const mounts = mountSupport();
if (!mounts.ok) console.info(`database-open: read-only folder cases skipped, cannot mount here (${mounts.reason})`);

afterAll(() => unmountAll());

const GROUP = 'fan-club';
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const BACKUP = `countdeck.db.damaged-${new Date(START).toISOString().replace(/[:.]/g, '-')}`;

const folder = (): string => scratchDir('countdeck-open-');

/** Every file in a folder, with its bytes and mtime. */
function snapshot(dir: string): Map<string, { bytes: Buffer; mtimeMs: number }> {
  return new Map(readdirSync(dir).map((name) => [name, { bytes: readFileSync(join(dir, name)), mtimeMs: statSync(join(dir, name)).mtimeMs }]));
}

/**
 * A real database made by a core, closed cleanly. `members` (a group that big) and `updates` (that
 * many counter updates, a second apart, into the history) make it span many pages.
 */
async function realDatabase(dataDir: string, { members = 0, updates = 0 } = {}): Promise<void> {
  const clock = createFakeClock(START - 24 * 60 * 60 * 1000);
  const core = await startCore(clock, { dataDir });
  expect(await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { kept: '123' } }))).toMatchObject({ state: 'ok' });
  if (members > 0) {
    const list = Array.from({ length: members }, (_, n) => `member-${n}-${'m'.repeat(60)}`);
    expect(core.service.createGroup({ groupID: 'big-room', name: 'Big Room', type: 'Public', members: ['operator', ...list] }).ok).toBe(true);
  }
  for (let update = 0; update < updates; update += 1) {
    expect(core.service.systemWrite('live-friday', 'likes', 1n).ok).toBe(true);
    await clock.advance(1_000);
  }
  expect(await closeCore(clock, core)).toBeNull();
  // A clean close leaves the file alone: its write-ahead log was checkpointed into it and removed.
  expect(existsSync(join(dataDir, 'countdeck.db-wal'))).toBe(false);
}

/** A fresh database took the place of a damaged one: it works and keeps what is written. */
async function expectFreshDatabaseWorks(dataDir: string): Promise<void> {
  const file = join(dataDir, 'countdeck.db');
  expect(integrityCheck(file)).toBe('ok');
  const clock = createFakeClock(START + 60_000);
  const core = await startCore(clock, { dataDir });
  try {
    expect((await core.api.getSession()).notice).toBeNull();
    expect((await core.api.getStorage()).file).toBe(file);
    expect(core.service.counters(GROUP).get('badges')).toBe(97n); // the demo data
    expect(await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { fresh: '5' } }))).toMatchObject({ state: 'ok' });
  } finally {
    await closeCore(clock, core);
  }
  expect(storedCounters(file, GROUP).get('fresh')).toBe(5n);
}

/** Waits (in real time: the check runs on a worker thread) until `done` holds. */
async function eventually(done: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return done();
}

describe('a damaged database file', () => {
  it.each([
    ['random bytes', () => randomBytes(8192)],
    ['text', () => Buffer.from('This is not a database, just some notes.\n'.repeat(300))],
  ])('holding %s is moved aside (9030 names where) and a fresh database works', async (_, contents) => {
    const dataDir = folder();
    const damaged = contents();
    writeFileSync(join(dataDir, 'countdeck.db'), damaged);
    const clock = createFakeClock(START);
    const core = await startCore(clock, { dataDir });
    const notice = (await core.api.getSession()).notice;
    await closeCore(clock, core);

    const backup = join(dataDir, BACKUP);
    expect(readdirSync(dataDir).filter((name) => name.includes('damaged'))).toEqual([BACKUP]);
    expect(readFileSync(backup).equals(damaged), 'the damaged file was moved, not changed').toBe(true);
    expect(notice?.code).toBe(ErrorCode.DATABASE_RECOVERED);
    expect(notice?.message).toContain(backup);
    await expectFreshDatabaseWorks(dataDir);
  });

  it.each([
    ['the members of the embedded service (read at start)', 'service_member'],
    ['the history (not read at start)', 'recent_update'],
  ])('failing integrity_check in a page of %s: the core starts, moves it aside (9030, at once or at the next start), a fresh database works', async (_, table) => {
    const dataDir = folder();
    const file = join(dataDir, 'countdeck.db');
    await realDatabase(dataDir, { members: 3_000, updates: 1_500 });
    expect(pageCount(file), 'the database spans many pages').toBeGreaterThan(50);
    const page = corruptLeafOf(file, table);
    // Truly damaged inside, not "not a database": SQLite opens it and reads its schema, the check fails.
    expect(withReadOnly(file, (db) => (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n)).toBeGreaterThan(5);
    const check = integrityCheck(file);
    expect(check).not.toBe('ok');
    const damaged = readFileSync(file);

    const clock = createFakeClock(START);
    // createCore never throws for a damaged file (openDatabase: "Never throws").
    const first = await startCore(clock, { dataDir });
    let notice = (await first.api.getSession()).notice;
    let backup = join(dataDir, BACKUP);
    let movedAtOnce = true;
    if (notice?.code !== ErrorCode.DATABASE_RECOVERED) {
      // Found by the background check instead: shown while this run goes on, moved aside at the next start.
      movedAtOnce = false;
      const found = await eventually(async () => (await first.api.getStorage()).problem?.code === ErrorCode.DATABASE_DAMAGED);
      expect(found, `the damage was never reported (notice ${JSON.stringify(notice)}, problem ${JSON.stringify((await first.api.getStorage()).problem)})`).toBe(true);
      await closeCore(clock, first);
      const laterClock = createFakeClock(START + 60_000);
      backup = join(dataDir, `countdeck.db.damaged-${new Date(START + 60_000).toISOString().replace(/[:.]/g, '-')}`);
      const second = await startCore(laterClock, { dataDir });
      notice = (await second.api.getSession()).notice;
      await closeCore(laterClock, second);
    } else {
      await closeCore(clock, first);
    }
    console.info(`integrity damage in ${table} (page ${page}): check said "${check.slice(0, 90)}…"; moved aside ${movedAtOnce ? 'at once' : 'at the next start'}: ${notice?.message.slice(0, 160)}`);

    expect(notice?.code).toBe(ErrorCode.DATABASE_RECOVERED);
    expect(notice?.message).toContain(backup);
    expect(existsSync(backup)).toBe(true);
    if (movedAtOnce) expect(readFileSync(backup).equals(damaged)).toBe(true);
    else expect(integrityCheck(backup)).not.toBe('ok');
    await expectFreshDatabaseWorks(dataDir);
  }, 60_000);

  it.skipIf(!mounts.ok)('that cannot be moved aside (read-only folder) stays where it is; 9034 says where and that this run is in memory', async () => {
    const source = folder();
    const damaged = randomBytes(8192);
    writeFileSync(join(source, 'countdeck.db'), damaged);
    const dataDir = bindReadOnly(source);
    const file = join(dataDir, 'countdeck.db');
    const before = snapshot(dataDir);

    const clock = createFakeClock(START);
    const core = await startCore(clock, { dataDir });
    const notice = (await core.api.getSession()).notice;
    const storage = await core.api.getStorage();
    // The run goes on, in memory.
    expect(await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { in_memory: '1' } }))).toMatchObject({ state: 'ok' });
    await closeCore(clock, core);

    expect(notice?.code).toBe(ErrorCode.DATABASE_IN_MEMORY);
    expect(notice?.message).toContain(file);
    expect(notice?.message).toMatch(/memory/);
    expect(notice?.message).toMatch(/could not be moved aside/);
    expect(notice?.message).not.toMatch(/moved to/);
    expect(readdirSync(dataDir)).toEqual(['countdeck.db']);
    expect(storage.file).toBeNull();
    expect(storage.problem?.code).toBe(ErrorCode.DATABASE_IN_MEMORY);
    expect(snapshot(dataDir)).toEqual(before);
    unmount(dataDir);
  });
});

describe('a database of a newer schema', () => {
  it('is refused with 9035 and never written; the run goes on in memory', async () => {
    const dataDir = folder();
    const file = join(dataDir, 'countdeck.db');
    await realDatabase(dataDir);
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const before = readFileSync(file);
    const mtimeMs = statSync(file).mtimeMs;

    const clock = createFakeClock(START);
    const core = await startCore(clock, { dataDir });
    const notice = (await core.api.getSession()).notice;
    const storage = await core.api.getStorage();
    expect(await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { kept: '999' } }))).toMatchObject({ state: 'ok' });
    expect(core.service.counters(GROUP).get('kept')).toBe(999n);
    await closeCore(clock, core);

    expect(notice?.code).toBe(ErrorCode.DATABASE_TOO_NEW);
    expect(notice?.message).toContain(file);
    expect(storage.file).toBeNull();
    expect(storage.problem?.code).toBe(ErrorCode.DATABASE_TOO_NEW);
    expect(readFileSync(file).equals(before), 'the file was written').toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0, 'write-ahead log content').toBe(0);
    expect(withReadOnly(file, (check) => (check.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)).toBe(SCHEMA_VERSION + 1);
    expect(storedCounters(file, GROUP).get('kept')).toBe(123n);
  });
});

describe.skipIf(!mounts.ok)('a data folder read-only from the start', () => {
  it.each(['a read-only tmpfs', 'a read-only bind mount'] as const)('(%s) with a database in it: the core starts in memory, 9034 names the file, the file is untouched', async (kind) => {
    // Where the database is written first, and the read-only folder it is then seen through.
    let source: string;
    let dataDir: string;
    if (kind === 'a read-only tmpfs') {
      source = dataDir = mountTmpfs(4096);
      await realDatabase(dataDir);
      remount(dataDir, 'ro');
    } else {
      source = folder();
      await realDatabase(source);
      dataDir = bindReadOnly(source);
    }
    const file = join(dataDir, 'countdeck.db');
    const before = snapshot(dataDir);

    const clock = createFakeClock(START);
    const core = await startCore(clock, { dataDir });
    const notice = (await core.api.getSession()).notice;
    const storage = await core.api.getStorage();
    expect(await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { kept: '5' } }))).toMatchObject({ state: 'ok' });
    await closeCore(clock, core);
    console.info(`read-only folder (${kind}): ${notice?.code} ${notice?.message}`);

    expect(notice?.code).toBe(ErrorCode.DATABASE_IN_MEMORY);
    expect(notice?.message).toContain(file);
    expect(storage.file).toBeNull();
    expect(snapshot(dataDir)).toEqual(before);
    // (A WAL database cannot be opened on a read-only folder without its -shm: read it writable again.)
    if (source === dataDir) remount(dataDir, 'rw');
    expect(storedCounters(join(source, 'countdeck.db'), GROUP).get('kept')).toBe(123n);
    expect(integrityCheck(join(source, 'countdeck.db'))).toBe('ok');
    unmount(dataDir);
  });
});
