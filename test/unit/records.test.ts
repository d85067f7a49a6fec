import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/create-core';
import { DATABASE_FILE_NAME } from '../../electron/core/store/database';
import { ErrorCode } from '../../shared/errors';
import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import type { Broadcast } from '../../shared/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

/**
 * What the core keeps across a restart, through its API: the chart's history, the event log's
 * last rows, when each counter last changed, and the broadcast "since start" counts from; and
 * where the data is, how big, and deleting old history.
 */

const GROUP = 'live-friday';
let dir: string;
const cores: Core[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(clock: FakeClock): Promise<Core> {
  const core = await createCore({ clock, dataDir: dir });
  cores.push(core);
  return core;
}

async function restart(clock: FakeClock, core: Core): Promise<Core> {
  await core.close();
  cores.splice(cores.indexOf(core), 1);
  return start(clock);
}

/** Someone else's changes, as the service sends them to every member, then one batch's wait. */
async function traffic(core: Core, clock: FakeClock, changes: [string, bigint][]): Promise<void> {
  for (const [key, delta] of changes) core.service.systemWrite(GROUP, key, delta);
  await clock.advance(FLUSH_INTERVAL_MS);
}

describe('records across a restart', () => {
  it('the chart, the event log and the last update times read the same after a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-records-'));
    const clock = createFakeClock();
    let core = await start(clock);
    const from = clock.now();
    await core.api.getCounters({ groupID: GROUP });
    for (let second = 0; second < 5; second += 1) {
      await traffic(core, clock, [
        ['likes', 3n],
        ['viewers', 1n],
      ]);
      await clock.advance(1_000 - FLUSH_INTERVAL_MS);
    }
    const request = { groupID: GROUP, keys: ['likes', 'viewers'], from, to: clock.now() + 1_000, maxPoints: 100 };
    const chart = await core.api.getHistory(request);
    const log = await core.api.getRecentUpdates({ limit: 20 });
    const { updatedAt } = await core.api.getCounters({ groupID: GROUP });
    expect(chart.series[0]!.buckets).toHaveLength(5);
    expect(chart.series[0]!.buckets.map((bucket) => bucket.count)).toEqual([1, 1, 1, 1, 1]);
    expect(log).toHaveLength(10);
    expect(log[0]).toMatchObject({ groupID: GROUP, key: 'viewers' });
    expect(Object.keys(updatedAt).sort()).toEqual(['likes', 'viewers']);

    await clock.advance(10_000);
    core = await restart(clock, core);
    await expect(core.api.getHistory(request)).resolves.toEqual(chart);
    await expect(core.api.getRecentUpdates({ limit: 20 })).resolves.toEqual(log);
    await expect(core.api.getCounters({ groupID: GROUP })).resolves.toMatchObject({ updatedAt });
  });

  it('a broadcast keeps its start values across a restart, and counters first seen later get theirs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-records-'));
    const clock = createFakeClock();
    let core = await start(clock);
    await core.api.getCounters({ groupID: GROUP });
    const heard: (Broadcast | null)[] = [];
    core.api.onBroadcast((broadcast) => heard.push(broadcast));
    const likes = core.service.counters(GROUP).get('likes')!;
    const started = await core.api.startBroadcast({ name: 'Friday show' });
    expect(started).toMatchObject({ name: 'Friday show', endedAt: null, startedAt: clock.now() });
    expect(started.baselines).toContainEqual({ groupID: GROUP, key: 'likes', value: likes.toString() });
    expect(heard.at(-1)).toEqual(started);

    // A key created during the broadcast counts from 0; a group read later counts from what it held then.
    await traffic(core, clock, [['shares', 4n]]);
    await core.api.getCounters({ groupID: 'fan-club' });
    const badges = core.service.counters('fan-club').get('badges')!;
    core = await restart(clock, core);
    const kept = await core.api.getBroadcast();
    expect(kept).toMatchObject({ id: started.id, name: 'Friday show', startedAt: started.startedAt, endedAt: null });
    expect(kept!.baselines).toEqual(
      expect.arrayContaining([
        { groupID: GROUP, key: 'likes', value: likes.toString() },
        { groupID: GROUP, key: 'shares', value: '0' },
        { groupID: 'fan-club', key: 'badges', value: badges.toString() },
      ]),
    );

    const ended = await core.api.endBroadcast();
    expect(ended).toMatchObject({ id: started.id, endedAt: clock.now() });
    await expect(core.api.getBroadcast()).resolves.toBeNull();
    await expect(core.api.endBroadcast()).rejects.toMatchObject({ code: ErrorCode.NO_BROADCAST });
    core = await restart(clock, core);
    await expect(core.api.getBroadcast()).resolves.toBeNull();
  });

  it('starting a broadcast ends the one on, and a bad name changes nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-records-'));
    const clock = createFakeClock();
    const core = await start(clock);
    const first = await core.api.startBroadcast({});
    expect(first.name).toBe('');
    await expect(core.api.startBroadcast({ name: 'x'.repeat(81) })).rejects.toMatchObject({ code: ErrorCode.INVALID_REQUEST, reason: 'broadcastName.tooLong' });
    await expect(core.api.getBroadcast()).resolves.toMatchObject({ id: first.id });
    await clock.advance(1_000);
    const second = await core.api.startBroadcast({ name: '  Late show  ' });
    expect(second).toMatchObject({ name: 'Late show' });
    await expect(core.api.getBroadcast()).resolves.toMatchObject({ id: second.id });
  });

  it('says where the data is and how big it is, and deletes history older than a time', async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-records-'));
    const clock = createFakeClock();
    const core = await start(clock);
    await core.api.getCounters({ groupID: GROUP });
    const old = clock.now();
    await traffic(core, clock, [['likes', 1n]]);
    await clock.advance(3_600_000);
    await traffic(core, clock, [['likes', 1n]]);
    const storage = await core.api.getStorage();
    expect(storage).toMatchObject({ file: join(dir, DATABASE_FILE_NAME), problem: null });
    expect(storage.bytes).toBeGreaterThan(0);
    expect(storage.oldestHistory).toBeLessThanOrEqual(old);
    expect(storage.tiers.map((tier) => tier.resolutionMs)).toEqual([1_000, 10_000, 300_000, 1_800_000]);
    const after = await core.api.deleteHistory({ before: old + 60_000 });
    expect(after.oldestHistory).toBeGreaterThan(old);
    const left = await core.api.getRecentUpdates({ limit: 10 });
    expect(left).toHaveLength(1);
    // The counters themselves are not history: they stay.
    await expect(core.api.getCounters({ groupID: GROUP })).resolves.toMatchObject({ groupID: GROUP });
  });

  it('without a data folder keeps everything in memory and says so', async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-records-'));
    const core = await createCore({ clock: createFakeClock() });
    cores.push(core);
    await expect(core.api.getStorage()).resolves.toMatchObject({ file: null, problem: null });
  });
});
