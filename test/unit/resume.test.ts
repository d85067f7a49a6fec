import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalService, type LocalService } from '../../electron/core/chat/local';
import { createCore, type Core } from '../../electron/core/create-core';
import { Journal } from '../../electron/core/ledger/journal';
import type { Intent } from '../../electron/core/ledger/intent';
import type { PlannedCall } from '../../electron/core/ledger/write-queue';
import { silentLogger } from '../../electron/core/logger';
import { openDatabase } from '../../electron/core/store/database';
import { SqliteServiceState } from '../../electron/core/store/service-state-store';
import type { PendingChange } from '../../shared/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

/**
 * The intent journal across runs: what a run accepted and never saw confirmed is taken up by the
 * next one on the same data folder. Waiting changes are sent; a change that was on its way when the
 * run ended is checked against a fresh read first, so it lands exactly once whether or not the
 * service had applied it. The earlier run's state is written by the production journal itself.
 */

const GROUP = 'live-friday';
const LATENCY_MS = 50;
let dir: string;
const closing: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

/** A delta call as the ledger plans one, carrying the part of intent `id`. */
function deltaCall(id: number, key: string, value: bigint, since: number): PlannedCall {
  const part = { intent: { id } as Intent, key, kind: 'delta' as const, value };
  return { kind: 'delta', groupID: GROUP, phase: { groupID: GROUP, key, kind: 'delta', value, parts: [part], solo: null, since } };
}

/**
 * An earlier run that ended abruptly: it accepted +3 on likes and sent it (applied by the service
 * or not), and accepted +2 on gifts that was still waiting. Returns the values before.
 */
async function earlierRun(clock: FakeClock, applied: boolean): Promise<{ likes: bigint; gifts: bigint }> {
  dir = await mkdtemp(join(tmpdir(), 'countdeck-resume-'));
  const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
  const service = openLocalService({ clock, state: new SqliteServiceState(database, null, silentLogger), log: () => {} });
  const before = { likes: service.counters(GROUP).get('likes')!, gifts: service.counters(GROUP).get('gifts')! };
  const journal = new Journal(database, 'local:operator', silentLogger);
  const sent = journal.accept(GROUP, [{ key: 'likes', kind: 'delta', value: 3n }], clock.now());
  journal.accept(GROUP, [{ key: 'gifts', kind: 'delta', value: 2n }], clock.now());
  journal.send(deltaCall(sent, 'likes', 3n, clock.now()), { values: new Map([['likes', before.likes]]), seq: 0 }, clock.now());
  if (applied) service.systemWrite(GROUP, 'likes', 3n);
  await service.close();
  database.close();
  return before;
}

/** The next run on the same folder, its service answering after LATENCY_MS so what it does can be watched. */
async function nextRun(clock: FakeClock): Promise<{ core: Core; service: LocalService; pending: PendingChange[][] }> {
  const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
  const service = openLocalService({ clock, latencyMs: LATENCY_MS, state: new SqliteServiceState(database, null, silentLogger), log: () => {} });
  let started: Core | null = null;
  void createCore({ clock, dataDir: dir, service, userID: 'operator' }).then((core) => (started = core));
  while (started === null) await clock.advance(1);
  const core: Core = started;
  const pending: PendingChange[][] = [];
  core.api.onPendingChanges((changes) => pending.push(changes));
  closing.push(async () => {
    const done = core.close().then(() => service.close());
    await clock.advance(1_000);
    await done;
    database.close();
  });
  return { core, service, pending };
}

describe('changes left open by an earlier run', () => {
  it.each([
    [true, 'reconciled-applied'],
    [false, 'reconciled-resent'],
  ] as const)('lands each exactly once (the call on its way had been applied: %s)', async (applied, verdict) => {
    const clock = createFakeClock();
    const before = await earlierRun(clock, applied);
    const { core, service, pending } = await nextRun(clock);
    const shown = await core.api.getPendingChanges();
    expect(shown.map(({ key, change, resumed }) => [key, change, resumed])).toEqual(
      expect.arrayContaining([
        ['likes', '+3', true],
        ['gifts', '+2', true],
      ]),
    );
    await clock.advance(2_000);
    expect(service.counters(GROUP).get('likes')).toBe(before.likes + 3n);
    expect(service.counters(GROUP).get('gifts')).toBe(before.gifts + 2n);
    expect(core.writeJournal.recent().map((call) => call.outcome)).toContain(verdict);
    await expect(core.api.getPendingChanges()).resolves.toEqual([]);
    expect(pending.at(-1)).toEqual([]);
  });

  it('journal the first write of a new key with the value it is created at, so a lost outcome can be proved', async () => {
    const clock = createFakeClock();
    dir = await mkdtemp(join(tmpdir(), 'countdeck-resume-'));
    const core = await createCore({ clock, dataDir: dir });
    closing.push(() => core.close());
    await core.api.increaseCounter({ groupID: GROUP, key: 'brand_new', value: '4' });
    const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
    expect(database.statement("SELECT before FROM write_call WHERE payload LIKE '%brand_new%'").all()).toEqual([{ before: '[["brand_new","0"]]' }]);
    database.close();
  });

  it('are not taken up by another user of the same service', async () => {
    const clock = createFakeClock();
    const before = await earlierRun(clock, false);
    const { database } = openDatabase({ dataDir: dir, now: () => clock.now(), log: silentLogger });
    const service = openLocalService({ clock, state: new SqliteServiceState(database, null, silentLogger), log: () => {} });
    const core = await createCore({ clock, dataDir: dir, service, userID: 'moderator' });
    closing.push(async () => {
      await core.close();
      await service.close();
      database.close();
    });
    await clock.advance(2_000);
    await expect(core.api.getPendingChanges()).resolves.toEqual([]);
    expect(service.counters(GROUP).get('gifts')).toBe(before.gifts);
  });

  it('a clean close keeps what is queued for the next start, which sends it once', async () => {
    const clock = createFakeClock();
    dir = await mkdtemp(join(tmpdir(), 'countdeck-resume-'));
    const first = await createCore({ clock, dataDir: dir });
    const likes = first.service.counters(GROUP).get('likes')!;
    first.client.setNetwork('disconnected');
    await clock.advance(0);
    const stranded = first.api.increaseCounter({ groupID: GROUP, key: 'likes', value: '7' }).catch((error: unknown) => error);
    await clock.advance(0);
    const unsent = first.shutdown(100);
    await clock.advance(200);
    await expect(unsent).resolves.toMatchObject([{ key: 'likes', change: '+7', state: 'queued' }]);
    await expect(stranded).resolves.toMatchObject({ code: 9040 });

    const second = await createCore({ clock, dataDir: dir });
    closing.push(() => second.close());
    await clock.advance(1_000);
    expect(second.service.counters(GROUP).get('likes')).toBe(likes + 7n);
    await expect(second.api.getPendingChanges()).resolves.toEqual([]);
  });
});
