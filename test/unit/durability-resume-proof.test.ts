import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalService } from '../../electron/core/chat/local';
import { createCore, type Core } from '../../electron/core/create-core';
import type { Intent } from '../../electron/core/ledger/intent';
import { Journal } from '../../electron/core/ledger/journal';
import type { PlannedCall } from '../../electron/core/ledger/write-queue';
import { silentLogger } from '../../electron/core/logger';
import { openDatabase } from '../../electron/core/store/database';
import { SqliteServiceState } from '../../electron/core/store/service-state-store';
import { journalSums, storedCounters, withReadOnly } from '../support/db-inspect';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

/**
 * What a kill leaves in the intent journal, built deterministically with the production journal and
 * service (the kill -9 test, durability-kill.test.ts, only hits these moments by chance), and what
 * the next run must make of it: settle every intent by proof, never send a change twice, never give
 * up as unknown (9020) what the journal or a fresh read can prove.
 * (1) Killed after the call's outcome 'confirmed' was recorded but before all its intents were
 *     settled (possible when those records land in separate transactions, or when the disk refused
 *     the settles): the next run confirms them from the journal, whatever happened to the key since
 *     (other writers: the traffic simulator, another user) and whether or not the key's value was
 *     known before the call. A set must not be sent again over a newer value.
 * (2) Intents a run accepted and never sent: the next run sends them, and the call must go out with
 *     the key's value known (the group read first), so that an outcome lost to another kill can be
 *     proved; today a resumed call goes out right after sign-in with `before` null.
 * (3) The first write of a new key, in flight at a kill, while other keys of the group moved: the
 *     fresh read before it showed the key absent (base 0), so the next run can prove it applied.
 */

const GROUP = 'live-friday';
let dir: string;
const closing: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

type Part = { id: number; key: string; value: bigint };

function plannedCall(kind: 'set' | 'delta', key: string, parts: Part[], since: number): PlannedCall {
  const value = kind === 'set' ? parts.at(-1)!.value : parts.reduce((total, part) => total + part.value, 0n);
  const phase = { groupID: GROUP, key, kind, value, parts: parts.map((part) => ({ intent: { id: part.id } as Intent, key, kind, value: part.value })), solo: null, since };
  return kind === 'set' ? { kind: 'set', groupID: GROUP, phases: [phase] } : { kind: 'delta', groupID: GROUP, phase };
}

/**
 * An earlier run killed while settling: intents accepted and sent as one call, the service applied
 * it and the journal recorded it 'confirmed', then only the first intent was settled. Afterwards
 * `otherWriter` moves the key (or not). `knownBefore`: whether the session held the key's value when
 * the call went out (a resumed call sent right after sign-in does not: its `before` is null).
 */
async function killedWhileSettling(
  clock: FakeClock,
  options: { kind: 'set' | 'delta'; key: string; values: bigint[]; knownBefore: boolean; otherWriter: bigint },
): Promise<{ before: bigint; open: number[] }> {
  dir = await mkdtemp('/tmp/countdeck-resume-confirmed-');
  const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
  const service = openLocalService({ clock, state: new SqliteServiceState(database, null, silentLogger), log: () => {} });
  const before = service.counters(GROUP).get(options.key) ?? 0n;
  const journal = new Journal(database, 'local:operator', silentLogger);
  const parts: Part[] = options.values.map((value) => ({
    id: journal.accept(GROUP, [{ key: options.key, kind: options.kind, value }], clock.now()),
    key: options.key,
    value,
  }));
  const call = plannedCall(options.kind, options.key, parts, clock.now());
  const entry = journal.send(
    call,
    { values: new Map([[options.key, options.knownBefore ? before : undefined]]), seq: options.knownBefore ? 0 : undefined },
    clock.now(),
  );
  // The service applies the call, as the operator's client.
  const client = service.createClient();
  const login = client.login({ userID: 'operator', userSig: 'local' });
  await clock.advance(0);
  await login;
  const write =
    options.kind === 'set'
      ? client.setGroupCounters({ groupID: GROUP, counters: { [options.key]: parts.at(-1)!.value } })
      : client.increaseGroupCounter({ groupID: GROUP, key: options.key, value: parts.reduce((total, part) => total + part.value, 0n) });
  await clock.advance(0);
  await write;
  journal.close(entry, 'confirmed');
  journal.settle(parts[0]!.id, null, clock.now());
  await clock.advance(0); // the journal writes its records at the end of the task
  // ... killed here: the call is recorded confirmed, the other intents are still open.
  expect(journalSums(join(dir, 'countdeck.db'), GROUP).openOnConfirmedCalls, 'the state a kill while settling leaves').toBe(parts.length - 1);
  // Later, before the next start, someone else moves the key.
  if (options.otherWriter !== 0n) expect(service.systemWrite(GROUP, options.key, options.otherWriter).ok).toBe(true);
  await client.destroy();
  await service.close();
  database.close();
  return { before, open: parts.slice(1).map((part) => part.id) };
}

/** The `before` the journal recorded for each call that carried `key`, as stored: [key, decimal or null][] and the sequence. */
function recordedBefore(key: string): { before: [string, string | null][]; seq: number | null; outcome: string }[] {
  return withReadOnly(join(dir, 'countdeck.db'), (db) =>
    (db.prepare('SELECT payload, before, before_seq, outcome FROM write_call ORDER BY id').all() as { payload: string; before: string; before_seq: number | null; outcome: string }[])
      .filter((row) => (JSON.parse(row.payload) as [string, string][]).some(([carried]) => carried === key))
      .map((row) => ({ before: JSON.parse(row.before) as [string, string | null][], seq: row.before_seq, outcome: row.outcome })),
  );
}

async function nextRun(clock: FakeClock): Promise<Core> {
  const started = createCore({ clock, dataDir: dir });
  await clock.advance(0);
  const core = await started;
  closing.push(async () => {
    const closed = core.close();
    await clock.advance(1_000);
    await closed;
  });
  await clock.advance(3_000);
  return core;
}

describe('a run killed while settling the intents of a confirmed call', () => {
  it('the next run confirms the intents left open, sends nothing again (delta, key known, nobody else wrote)', async () => {
    const clock = createFakeClock();
    const { before } = await killedWhileSettling(clock, { kind: 'delta', key: 'likes', values: [1n, 2n, 3n], knownBefore: true, otherWriter: 0n });
    const core = await nextRun(clock);
    expect(core.service.counters(GROUP).get('likes')).toBe(before + 6n);
    await expect(core.api.getPendingChanges()).resolves.toEqual([]);
    const journal = journalSums(join(dir, 'countdeck.db'), GROUP);
    expect(journal.intents).toEqual({ confirmed: 3 });
  });

  it('... the same when the session did not know the key before the call (a resumed call sent at sign-in)', async () => {
    const clock = createFakeClock();
    const { before } = await killedWhileSettling(clock, { kind: 'delta', key: 'kill_a', values: [1n, 2n, 3n], knownBefore: false, otherWriter: 0n });
    const core = await nextRun(clock);
    expect(core.service.counters(GROUP).get('kill_a')).toBe(before + 6n);
    const journal = journalSums(join(dir, 'countdeck.db'), GROUP);
    // The journal recorded the call as confirmed: that is proof, so no intent may end unknown (9020).
    expect(journal.failures).toEqual({});
    expect(journal.intents).toEqual({ confirmed: 3 });
  });

  it('... the same when another writer moved the key since (delta): not given up as unknown', async () => {
    const clock = createFakeClock();
    const { before } = await killedWhileSettling(clock, { kind: 'delta', key: 'likes', values: [1n, 2n, 3n], knownBefore: true, otherWriter: 5n });
    const core = await nextRun(clock);
    expect(core.service.counters(GROUP).get('likes')).toBe(before + 6n + 5n);
    const journal = journalSums(join(dir, 'countdeck.db'), GROUP);
    expect(journal.failures).toEqual({});
    expect(journal.intents).toEqual({ confirmed: 3 });
  });

  it('... the same for a set when another writer moved the key since: the set is not sent again over the newer value', async () => {
    const clock = createFakeClock();
    await killedWhileSettling(clock, { kind: 'set', key: 'viewers', values: [500n, 100n], knownBefore: true, otherWriter: 5n });
    const core = await nextRun(clock);
    // The set (100) was applied once, then the other writer added 5: sending it again would undo that.
    expect(core.service.counters(GROUP).get('viewers')).toBe(105n);
    expect(storedCounters(join(dir, 'countdeck.db'), GROUP).get('viewers')).toBe(105n);
    const journal = journalSums(join(dir, 'countdeck.db'), GROUP);
    expect(journal.failures).toEqual({});
    expect(journal.intents).toEqual({ confirmed: 2 });
    expect(journal.calls['reconciled-resent'] ?? 0, 'calls sent again').toBe(0);
  });
});

describe('intents a killed run accepted and never sent', () => {
  it('go out once in the next run, with the key\'s value known before the call (so a lost outcome can be proved)', async () => {
    const clock = createFakeClock();
    dir = await mkdtemp('/tmp/countdeck-resume-proof-');
    const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
    const service = openLocalService({ clock, state: new SqliteServiceState(database, null, silentLogger), log: () => {} });
    const likes = service.counters(GROUP).get('likes')!;
    const journal = new Journal(database, 'local:operator', silentLogger);
    journal.accept(GROUP, [{ key: 'likes', kind: 'delta', value: 2n }], clock.now());
    journal.accept(GROUP, [{ key: 'likes', kind: 'delta', value: 3n }], clock.now());
    // ... killed before sending them.
    await service.close();
    database.close();

    const core = await nextRun(clock);
    expect(core.service.counters(GROUP).get('likes')).toBe(likes + 5n);
    expect(journalSums(join(dir, 'countdeck.db'), GROUP).intents).toEqual({ confirmed: 2 });
    const calls = recordedBefore('likes');
    expect(calls).toHaveLength(1);
    // Had this run been killed with that call in flight, the next one could only prove what happened
    // from this base: null leaves it unknown (9020), although no one else wrote the key.
    expect(calls[0]!.before, 'the value recorded before the resumed call').toEqual([['likes', likes.toString()]]);
  });
});

describe('the first write of a new key, in flight at a kill', () => {
  it('is proved applied by the next run although other keys of the group moved (the key was absent: base 0)', async () => {
    const clock = createFakeClock();
    dir = await mkdtemp('/tmp/countdeck-resume-proof-');
    const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
    const service = openLocalService({ clock, state: new SqliteServiceState(database, null, silentLogger), log: () => {} });
    const journal = new Journal(database, 'local:operator', silentLogger);
    const id = journal.accept(GROUP, [{ key: 'brand_new', kind: 'delta', value: 4n }], clock.now());
    // What the ledger records for it after reading the group fresh (the key absent): its value 0, where the service creates it, and the group's sequence.
    journal.send(plannedCall('delta', 'brand_new', [{ id, key: 'brand_new', value: 4n }], clock.now()), { values: new Map([['brand_new', 0n]]), seq: 0 }, clock.now());
    const client = service.createClient();
    const login = client.login({ userID: 'operator', userSig: 'local' });
    await clock.advance(0);
    await login;
    const write = client.increaseGroupCounter({ groupID: GROUP, key: 'brand_new', value: 4n });
    await clock.advance(0);
    await write;
    // ... killed before the reply was recorded. The traffic simulator moves the room meanwhile.
    expect(service.systemWrite(GROUP, 'likes', 1n).ok).toBe(true);
    await client.destroy();
    await service.close();
    database.close();
    expect(recordedBefore('brand_new')).toEqual([{ before: [['brand_new', '0']], seq: 0, outcome: 'in-flight' }]);

    const core = await nextRun(clock);
    expect(core.service.counters(GROUP).get('brand_new')).toBe(4n);
    const journalNow = journalSums(join(dir, 'countdeck.db'), GROUP);
    expect(journalNow.failures, 'given up as unknown').toEqual({});
    expect(journalNow.intents).toEqual({ confirmed: 1 });
  });
});
