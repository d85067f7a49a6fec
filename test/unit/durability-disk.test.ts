import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/create-core';
import { messageFor } from '../../shared/error-messages';
import { ErrorCode } from '../../shared/errors';
import { integrityCheck, storedCounters } from '../support/db-inspect';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { closeCore, recordingLogger, settleWithin, startCore } from '../support/fault-core';
import { ext4Support, failExt4, freeBytes, mountExt4, mountSupport, mountTmpfs, remount, remountExt4, unmount, unmountAll } from '../support/mounts';

/**
 * The disk under a running core fails. (1) A small tmpfs is filled up while the core keeps writing
 * (API counter sets, and as the system: counter changes whose events feed the history, new groups):
 * writes fail with 9031 STORAGE_FULL and its message, nothing confirmed before is lost (in the
 * running service, and in a fresh core on the folder once space is freed), reads go on, the storage
 * problem shows 9031 and clears once a write succeeds after space was freed, and the file passes
 * integrity_check. Also: the core is closed while the disk is still full, then reopened.
 * (2) The file system turns read-only under the running core. A plain `mount -o remount,ro` is refused
 * (EBUSY) while the database is open for writing, so this uses what a failing disk does: ext4 with
 * errors=remount-ro on a loop device, made to meet an error (sysfs trigger_fs_error), turns read-only
 * at once. Writes must fail with a storage code (9032, or 9033 for a disk error) and lose nothing.
 * Needs root (mount); skipped with one line otherwise.
 */

const tmpfs = mountSupport();
const ext4 = tmpfs.ok ? ext4Support() : tmpfs;
if (!tmpfs.ok) console.info(`durability-disk: skipped, cannot mount a tmpfs here (${tmpfs.reason})`);
else if (!ext4.ok) console.info(`durability-disk: read-only-under-a-running-core test skipped (${ext4.reason})`);

afterAll(() => unmountAll());

const GROUP = 'fan-club';
const LIVE = 'live-friday';
/** Room left on the disk by the filler: a few writes fit, then the disk is full. */
const SLACK_BYTES = 1024 * 1024;

interface Tally {
  /** Per key, the value of the last set issued that the service confirmed (in issue order). */
  expected: Map<string, bigint>;
  likes: bigint;
  groups: string[];
  confirmed: number;
  failures: { what: string; code: number; message: string }[];
}

/** Writes until the disk refuses: each round an API set, a system counter change (history) and now and then a new group. */
async function writeUntilFull(clock: FakeClock, core: Core, tally: Tally, rounds: number): Promise<void> {
  let failedInARow = 0;
  for (let round = 1; round <= rounds && failedInARow < 6; round += 1) {
    const key = `grow_${round % 5}`;
    const value = BigInt(round) * 1_000_003n;
    const set = await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { [key]: value.toString() } }), 8_000);
    if (set.state === 'ok') {
      expect(set.value.counters[key]).toBe(value.toString());
      tally.expected.set(key, value);
      tally.confirmed += 1;
      failedInARow = 0;
    } else if (set.state === 'failed') {
      tally.failures.push({ what: `setCounters ${key}`, ...set.error });
      failedInARow += 1;
    } else {
      // Waiting for the disk (the journal could not record the call): settles once space is freed.
      throw new Error(`setCounters ${key} neither failed nor succeeded within 8 s: ${JSON.stringify(await core.api.getPendingChanges())}`);
    }
    const likes = core.service.systemWrite(LIVE, 'likes', 1n);
    if (likes.ok) tally.likes += 1n;
    else tally.failures.push({ what: 'systemWrite likes', ...likes.error });
    if (round % 4 === 0) {
      const groupID = `room-${round}`;
      const members = ['operator', ...Array.from({ length: 40 }, (_, n) => `member-${round}-${n}-${'x'.repeat(40)}`)];
      const created = core.service.createGroup({ groupID, name: `Room ${round}`, type: 'Public', members });
      if (created.ok) tally.groups.push(groupID);
      else tally.failures.push({ what: `createGroup ${groupID}`, ...created.error });
    }
    await clock.advance(40);
  }
}

async function expectState(core: Core, tally: Tally, likesBase: bigint): Promise<void> {
  const counters = core.service.counters(GROUP);
  for (const [key, value] of tally.expected) expect(counters.get(key), `${key} in the service`).toBe(value);
  for (let n = 0; n < 5; n += 1) if (!tally.expected.has(`grow_${n}`)) expect(counters.has(`grow_${n}`), `grow_${n} was never confirmed`).toBe(false);
  expect(core.service.counters(LIVE).get('likes')).toBe(likesBase + tally.likes);
  const groups = (await core.api.listGroups()).map((group) => group.groupID);
  for (const groupID of tally.groups) expect(groups).toContain(groupID);
  for (const { what } of tally.failures.filter((failure) => failure.what.startsWith('createGroup'))) expect(groups).not.toContain(what.split(' ')[1]);
}

const newTally = (): Tally => ({ expected: new Map(), likes: 0n, groups: [], confirmed: 0, failures: [] });

describe.skipIf(!tmpfs.ok)('a full disk', () => {
  it('fails writes with 9031, keeps what was confirmed, answers reads, and recovers once space is freed', async () => {
    const disk = mountTmpfs(4096);
    const dataDir = join(disk, 'profile');
    const file = join(dataDir, 'countdeck.db');
    const clock = createFakeClock();
    const log = recordingLogger();
    const core = await startCore(clock, { dataDir, log });
    const likesBase = core.service.counters(LIVE).get('likes')!;
    await clock.advance(200);

    const filler = join(disk, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(disk) - SLACK_BYTES));
    const tally = newTally();
    await writeUntilFull(clock, core, tally, 400);

    const apiFailures = tally.failures.filter((failure) => failure.what.startsWith('setCounters'));
    console.info(
      `full disk: ${tally.confirmed} API sets confirmed, ${apiFailures.length} failed; system writes: ${tally.likes} confirmed; ` +
        `${tally.groups.length} groups created; ${tally.failures.length} failures in all (codes ${[...new Set(tally.failures.map((failure) => failure.code))].join(', ')}); ${freeBytes(disk)} bytes free`,
    );
    expect(tally.confirmed, 'some writes fitted before the disk was full').toBeGreaterThan(0);
    expect(apiFailures.length, 'the disk never filled up').toBeGreaterThan(0);
    for (const failure of tally.failures) {
      expect({ what: failure.what, code: failure.code }).toEqual({ what: failure.what, code: ErrorCode.STORAGE_FULL });
      expect(failure.message).toBe(messageFor(ErrorCode.STORAGE_FULL));
    }

    // Nothing confirmed is lost, nothing refused was applied; reads go on.
    await expectState(core, tally, likesBase);
    const read = await settleWithin(clock, core.api.getCounters({ groupID: GROUP }));
    expect(read.state).toBe('ok');
    if (read.state === 'ok') for (const [key, value] of tally.expected) expect(read.value.counters[key]).toBe(value.toString());
    expect((await core.api.getSession()).state).toBe('ready');
    const storage = await core.api.getStorage();
    expect(storage.problem).toEqual({ code: ErrorCode.STORAGE_FULL, message: messageFor(ErrorCode.STORAGE_FULL) });
    expect(storage.file).toBe(file);

    // Space comes back: writes succeed again and the problem clears.
    rmSync(filler);
    const after = await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { grow_0: '77' } }));
    expect(after, log.lines.slice(-5).join('\n')).toMatchObject({ state: 'ok' });
    tally.expected.set('grow_0', 77n);
    expect(core.service.systemWrite(LIVE, 'likes', 1n).ok).toBe(true);
    tally.likes += 1n;
    await clock.advance(100);
    expect((await core.api.getStorage()).problem).toBeNull();
    await expect(core.api.getPendingChanges()).resolves.toEqual([]);

    expect(await closeCore(clock, core)).toBeNull();
    expect(integrityCheck(file)).toBe('ok');
    const stored = storedCounters(file, GROUP);
    for (const [key, value] of tally.expected) expect(stored.get(key), `${key} on disk`).toBe(value);

    // A fresh core on the folder has all of it, and nothing to resend.
    const again = await startCore(createFakeClock(), { dataDir });
    try {
      expect((await again.api.getSession()).notice).toBeNull();
      await expectState(again, tally, likesBase);
      await expect(again.api.getPendingChanges()).resolves.toEqual([]);
    } finally {
      await again.close();
    }
    expect(integrityCheck(file)).toBe('ok');
    unmount(disk);
  }, 60_000);

  it('closing while the disk is still full loses nothing confirmed; the next start after freeing space has it all', async () => {
    const disk = mountTmpfs(4096);
    const dataDir = join(disk, 'profile');
    const file = join(dataDir, 'countdeck.db');
    const clock = createFakeClock();
    const core = await startCore(clock, { dataDir });
    const likesBase = core.service.counters(LIVE).get('likes')!;
    await clock.advance(200);
    const filler = join(disk, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(disk) - SLACK_BYTES));
    const tally = newTally();
    await writeUntilFull(clock, core, tally, 400);
    expect(tally.failures.length).toBeGreaterThan(0);

    const closeError = await closeCore(clock, core);
    expect(closeError, 'close() with the disk full').toBeNull();
    rmSync(filler);
    expect(integrityCheck(file)).toBe('ok');
    const again = await startCore(createFakeClock(), { dataDir });
    try {
      await expectState(again, tally, likesBase);
      await expect(again.api.getPendingChanges()).resolves.toEqual([]);
    } finally {
      await again.close();
    }
    expect(existsSync(file)).toBe(true);
    expect(integrityCheck(file)).toBe('ok');
    unmount(disk);
  }, 60_000);
});

describe.skipIf(!tmpfs.ok)('mount -o remount,ro under a running core', () => {
  it('is refused by Linux while the database is open for writing; if it ever is not, writes must fail with 9032', async () => {
    const disk = mountTmpfs(4096);
    const dataDir = join(disk, 'profile');
    const clock = createFakeClock();
    const core = await startCore(clock, { dataDir });
    expect(await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { before_ro: '1' } }))).toMatchObject({ state: 'ok' });
    let refused: string | null = null;
    try {
      remount(disk, 'ro');
    } catch (error) {
      refused = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    }
    if (refused !== null) {
      console.info(`remount,ro under a running core: refused (${refused.split('\n')[0]}); the ext4 test below covers a disk turning read-only`);
      expect(refused).toMatch(/busy/i);
    } else {
      const write = await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { before_ro: '2' } }));
      remount(disk, 'rw');
      expect(write).toMatchObject({ state: 'failed', error: { code: ErrorCode.STORAGE_READ_ONLY, message: messageFor(ErrorCode.STORAGE_READ_ONLY) } });
      expect(core.service.counters(GROUP).get('before_ro')).toBe(1n);
    }
    await closeCore(clock, core);
    unmount(disk);
  });
});

describe.skipIf(!ext4.ok)('the file system turns read-only under a running core', () => {
  it('fails writes with a storage code, loses nothing confirmed, and keeps answering reads', async () => {
    const disk = mountExt4(16);
    const dataDir = join(disk.dir, 'profile');
    const file = join(dataDir, 'countdeck.db');
    const clock = createFakeClock();
    const log = recordingLogger();
    const core = await startCore(clock, { dataDir, log });
    const likesBase = core.service.counters(LIVE).get('likes')!;
    const confirmed = await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { before_ro: '41' } }));
    expect(confirmed.state).toBe('ok');
    expect(core.service.systemWrite(LIVE, 'likes', 2n).ok).toBe(true);
    await clock.advance(100);

    failExt4(disk);
    const refused = await settleWithin(clock, core.api.setCounters({ groupID: GROUP, counters: { before_ro: '42', after_ro: '1' } }));
    const system = core.service.systemWrite(LIVE, 'likes', 1n);
    const storage = await core.api.getStorage();
    console.info(
      `read-only under a running core: setCounters → ${refused.state === 'failed' ? refused.error.code : refused.state}; systemWrite → ${system.ok ? 'ok' : system.error.code}; problem ${storage.problem?.code}`,
    );
    expect(refused.state).toBe('failed');
    if (refused.state !== 'failed') return;
    // SQLite reports the EROFS of the write as SQLITE_IOERR_WRITE (778); the folder then looks writable to access(2).
    expect([ErrorCode.STORAGE_READ_ONLY, ErrorCode.STORAGE_FAILED]).toContain(refused.error.code);
    expect(refused.error.message).toBe(messageFor(refused.error.code));
    expect(system.ok).toBe(false);
    if (!system.ok) expect(system.error.code).toBe(refused.error.code);
    expect(storage.problem?.code).toBe(refused.error.code);

    // Nothing refused was applied, nothing confirmed is lost, reads go on.
    expect(core.service.counters(GROUP).get('before_ro')).toBe(41n);
    expect(core.service.counters(GROUP).has('after_ro')).toBe(false);
    expect(core.service.counters(LIVE).get('likes')).toBe(likesBase + 2n);
    const read = await settleWithin(clock, core.api.getCounters({ groupID: GROUP, keyList: ['before_ro'] }));
    expect(read).toMatchObject({ state: 'ok', value: { counters: { before_ro: '41' } } });
    expect((await core.api.listGroups()).map((group) => group.groupID)).toContain(GROUP);

    await closeCore(clock, core);
    // The disk comes back (mounted again): everything confirmed before is in the file.
    remountExt4(disk);
    expect(integrityCheck(file)).toBe('ok');
    expect(storedCounters(file, GROUP).get('before_ro')).toBe(41n);
    expect(storedCounters(file, GROUP).has('after_ro')).toBe(false);
    expect(storedCounters(file, LIVE).get('likes')).toBe(likesBase + 2n);
    unmount(disk.dir);
  }, 60_000);
});
