import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterHistory } from '../../electron/core/history/counter-history';
import { bucketStart, HISTORY_TIERS, planRead, RECENT_UPDATES_KEPT } from '../../electron/core/history/history-tiers';
import { openDatabase, type Database } from '../../electron/core/store/database';
import { silentLogger } from '../../electron/core/logger';
import { INT64_MAX, INT64_MIN, MAX_RECENT_UPDATES } from '../../shared/limits';
import type { CounterUpdate } from '../../shared/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

/**
 * The counter history: every tier's buckets agree with the raw updates (min, max, last and count
 * per bucket, none counted twice or dropped at a tier edge, also across a crash and a clock that
 * steps back), reads stitch the tiers without overlap, and the raw updates, own-write marks,
 * deletion and retention do what they say.
 */

const START = Date.UTC(2026, 11, 1, 10, 0, 0);

function open(clock: FakeClock): { database: Database; history: CounterHistory } {
  const { database } = openDatabase({ now: () => clock.now(), log: silentLogger });
  return { database, history: new CounterHistory(database, clock) };
}

function update(groupID: string, key: string, value: bigint, at: number, previous: bigint | null = null): CounterUpdate {
  return { groupID, key, value: value.toString(), previous: previous === null ? null : previous.toString(), at };
}

interface Stored {
  min: bigint;
  max: bigint;
  last: bigint;
  count: number;
}

/** Every bucket of a tier as stored, by series key and start. */
function storedTier(database: Database, tier: number): Map<string, Stored> {
  const rows = database
    .statement('SELECT s.key, b.at, b.min, b.max, b.last, b.count FROM bucket b JOIN series s ON s.id = b.series_id WHERE b.tier = ?')
    .all(tier) as { key: string; at: bigint; min: bigint; max: bigint; last: bigint; count: bigint }[];
  return new Map(rows.map((row) => [`${row.key}@${row.at}`, { min: row.min, max: row.max, last: row.last, count: Number(row.count) }]));
}

/** What each tier should hold, worked out from the raw updates alone (times as recorded: never going back). */
function expectedTier(updates: readonly { key: string; value: bigint; at: number }[], tier: number): Map<string, Stored> {
  const expected = new Map<string, Stored>();
  for (const { key, value, at } of updates) {
    const slot = `${key}@${bucketStart(tier, at)}`;
    const bucket = expected.get(slot);
    if (bucket === undefined) expected.set(slot, { min: value, max: value, last: value, count: 1 });
    else expected.set(slot, { min: value < bucket.min ? value : bucket.min, max: value > bucket.max ? value : bucket.max, last: value, count: bucket.count + 1 });
  }
  return expected;
}

type Step =
  | { kind: 'batch'; updates: { key: number; value: bigint; gap: number }[] }
  | { kind: 'quiet'; ms: number }
  | { kind: 'crash' };

const value = fc.oneof(fc.bigInt({ min: -1_000n, max: 1_000n }), fc.constantFrom(INT64_MAX, INT64_MIN, 2n ** 53n + 1n));
/** Gaps between updates: mostly small, some across a second, ten seconds, five or thirty minutes; some negative (the clock stepping back). */
const gap = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }) },
  { weight: 2, arbitrary: fc.integer({ min: 900, max: 12_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(299_990, 300_000, 1_799_999, 1_800_001) },
  { weight: 1, arbitrary: fc.integer({ min: -3_000, max: -1 }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('batch' as const), updates: fc.array(fc.record({ key: fc.integer({ min: 0, max: 2 }), value, gap }), { minLength: 1, maxLength: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('quiet' as const), ms: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
);

describe('the counter history', () => {
  it('keeps every tier in agreement with the raw updates, across tier edges, crashes and a clock stepping back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const clock = createFakeClock(START);
        const { database } = open(clock);
        let history = new CounterHistory(database, clock);
        const sent: { key: string; value: bigint; at: number }[] = [];
        let at = START;
        for (const next of steps) {
          if (next.kind === 'crash') {
            // A new history on the same file, without closing the old one: what it held in memory is gone.
            history = new CounterHistory(database, clock);
            continue;
          }
          if (next.kind === 'quiet') {
            await clock.advance(next.ms);
            history.foldEnded(clock.now());
            continue;
          }
          const batch = next.updates.map(({ key, value, gap }) => {
            at = Math.max(START, at + gap);
            sent.push({ key: `k${key}`, value, at });
            return update('g', `k${key}`, value, at);
          });
          await clock.advance(Math.max(0, at - clock.now()));
          history.record('local', batch);
        }
        history.close();
        // The raw updates as recorded: every one, in order, at times that never go back and never come early.
        const raw = (
          database.statement('SELECT s.key, r.value, r.at FROM recent_update r JOIN series s ON s.id = r.series_id ORDER BY r.seq').all() as { key: string; value: bigint; at: bigint }[]
        ).map((row) => ({ key: row.key, value: row.value, at: Number(row.at) }));
        expect(raw.map(({ key, value }) => [key, value])).toEqual(sent.map(({ key, value }) => [key, value]));
        raw.forEach((row, index) => {
          expect(row.at).toBeGreaterThanOrEqual(sent[index]!.at);
          if (index > 0) expect(row.at).toBeGreaterThanOrEqual(raw[index - 1]!.at);
        });
        for (let tier = 0; tier < HISTORY_TIERS.length; tier += 1) {
          expect(storedTier(database, tier), `tier ${tier}`).toEqual(expectedTier(raw, tier));
        }
        database.close();
      }),
      { numRuns: 200, seed: 20_261_207 },
    );
  });

  it('reads a range from the tier whose width fits, stitching coarser tiers in for what the finer one no longer keeps', () => {
    const now = START + 30 * 24 * 3_600_000;
    const hour = 3_600_000;
    // Five minutes in 300 points: the 1 s tier alone.
    expect(planRead(now - 300_000, now, 300, now)).toEqual([{ tier: 0, from: now - 300_000, to: now }]);
    // Three hours in 1,100 points: 10 s buckets (1,080 of them), never more than asked.
    expect(planRead(now - 3 * hour, now, 1_100, now)).toEqual([{ tier: 1, from: now - 3 * hour, to: now }]);
    expect(planRead(now - 3 * hour, now, 1_000, now)).toEqual([{ tier: 2, from: now - 3 * hour, to: now }]);
    // Twenty minutes that ended ten minutes ago, by the second: the 1 s tier keeps a quarter hour, the older part comes from 10 s buckets.
    const stitched = planRead(now - 30 * 60_000, now - 10 * 60_000, 1_200, now);
    expect(stitched.map((segment) => segment.tier)).toEqual([1, 0]);
    expect(stitched[0]!.from).toBe(now - 30 * 60_000);
    expect(stitched[0]!.to).toBe(stitched[1]!.from);
    expect(stitched[1]!.to).toBe(now - 10 * 60_000);
    // Each cut falls on an edge of the coarser tier, and no further back than the finer one keeps.
    expect(stitched[1]!.from % HISTORY_TIERS[1]!.resolutionMs).toBe(0);
    expect(stitched[1]!.from).toBeGreaterThanOrEqual(now - HISTORY_TIERS[0]!.keepMs);
    // Seven days in 400 points: 30 min buckets.
    expect(planRead(now - 7 * 24 * hour, now, 400, now)).toEqual([{ tier: 3, from: now - 7 * 24 * hour, to: now }]);
  });

  it('covers any range exactly once, whatever the points asked for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * 24 * 3_600_000 }), fc.integer({ min: 0, max: 30 * 24 * 3_600_000 }), fc.integer({ min: 1, max: 2_000 }), (span, age, points) => {
        const now = START + 400 * 24 * 3_600_000;
        const to = now - age;
        const segments = planRead(to - span, to, points, now);
        // The start moves back to the edge of the bucket that holds it, and no further.
        const width = HISTORY_TIERS[segments[0]!.tier]!.resolutionMs;
        expect(segments[0]!.from).toBeLessThanOrEqual(to - span);
        expect(segments[0]!.from).toBeGreaterThan(to - span - width);
        expect(segments[0]!.from % width).toBe(0);
        expect(segments[segments.length - 1]!.to).toBe(to);
        for (let i = 1; i < segments.length; i += 1) {
          expect(segments[i]!.from).toBe(segments[i - 1]!.to);
          expect(segments[i]!.tier).toBeLessThan(segments[i - 1]!.tier);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('answers a read with the value held before the range and buckets oldest first', async () => {
    const clock = createFakeClock(START);
    const { database, history } = open(clock);
    history.record('local', [update('g', 'likes', 10n, START), update('g', 'likes', 12n, START + 400)]);
    await clock.advance(5_000);
    history.record('local', [update('g', 'likes', 20n, START + 5_000), update('g', 'likes', 15n, START + 5_600)]);
    await clock.advance(5_000);
    history.record('local', [update('g', 'likes', 30n, START + 10_000)]);
    const read = history.read('local', 'g', ['likes', 'absent'], START + 4_000, START + 11_000, 100);
    expect(read.series[0]).toEqual({
      key: 'likes',
      before: '12',
      buckets: [
        { at: START + 5_000, span: 1_000, min: '15', max: '20', last: '15', lastAt: START + 5_600, count: 2 },
        { at: START + 10_000, span: 1_000, min: '30', max: '30', last: '30', lastAt: START + 10_000, count: 1 },
      ],
    });
    expect(read.series[1]).toEqual({ key: 'absent', before: null, buckets: [] });
    // Another service's counters of the same name are another series.
    expect(history.read('tencent:1400000001', 'g', ['likes'], START, START + 11_000, 100).series[0]!.buckets).toEqual([]);
    database.close();
  });

  it('keeps the newest raw updates for the event log, newest first, with their previous values', () => {
    const clock = createFakeClock(START);
    const { database, history } = open(clock);
    history.record('local', [update('g', 'likes', 1n, START, null), update('g', 'likes', 2n, START + 1, 1n)]);
    history.record('local', [{ ...update('g', 'big', 2n ** 60n, START + 2, 5n), inexact: true }]);
    expect(history.recent('local', 2)).toEqual([
      { groupID: 'g', key: 'big', value: (2n ** 60n).toString(), previous: '5', at: START + 2, inexact: true },
      { groupID: 'g', key: 'likes', value: '2', previous: '1', at: START + 1 },
    ]);
    // A huge batch keeps what the log can show of it, and the buckets still count all of it.
    const flood = Array.from({ length: 3 * MAX_RECENT_UPDATES }, (_, i) => update('g', 'likes', BigInt(i), START + 3));
    history.record('local', flood);
    expect(history.recent('local', MAX_RECENT_UPDATES).map((row) => row.value)[0]).toBe(String(3 * MAX_RECENT_UPDATES - 1));
    expect(storedTier(database, 0).get(`likes@${START}`)?.count).toBe(2 + 3 * MAX_RECENT_UPDATES);
    // The raw updates are a ring: however many come, the newest RECENT_UPDATES_KEPT stay, in order.
    for (let batch = 0; batch < 2 * (RECENT_UPDATES_KEPT / MAX_RECENT_UPDATES); batch += 1) {
      history.record('local', Array.from({ length: MAX_RECENT_UPDATES }, (_, i) => update('g', 'gifts', BigInt(batch * MAX_RECENT_UPDATES + i), START + 4 + batch)));
    }
    const kept = database.statement('SELECT count(*) AS n FROM recent_update').get() as { n: bigint };
    expect(Number(kept.n)).toBe(RECENT_UPDATES_KEPT);
    const newest = history.recent('local', 3).map((row) => row.value);
    expect(newest).toEqual([2 * RECENT_UPDATES_KEPT - 1, 2 * RECENT_UPDATES_KEPT - 2, 2 * RECENT_UPDATES_KEPT - 3].map(String));
    database.close();
  });

  it("marks this Countdeck's own writes, whether the confirmation comes before the update or after it", async () => {
    const clock = createFakeClock(START);
    const { database, history } = open(clock);
    history.markOwn('local', 'g', 'likes', '7');
    const before = update('g', 'likes', 7n, START, 6n);
    history.record('local', [before, update('g', 'gifts', 7n, START)]);
    expect(before.own).toBe(true);
    history.record('local', [update('g', 'likes', 8n, START + 10, 7n)]);
    history.markOwn('local', 'g', 'likes', '8');
    // Someone else's update of the same value long after is not taken for ours.
    history.markOwn('local', 'g', 'gifts', '9');
    await clock.advance(20_000);
    history.record('local', [update('g', 'gifts', 9n, START + 20_000, 7n)]);
    const owns = history.recent('local', 10).map((row) => [row.key, row.value, row.own === true]);
    expect(owns).toEqual([
      ['gifts', '9', false],
      ['likes', '8', true],
      ['gifts', '7', false],
      ['likes', '7', true],
    ]);
    database.close();
  });

  it('tells when each key last changed, and deletes history older than a time', async () => {
    const clock = createFakeClock(START);
    const { database, history } = open(clock);
    history.record('local', [update('g', 'likes', 1n, START), update('g', 'gifts', 1n, START + 10)]);
    await clock.advance(3_600_000);
    history.record('local', [update('g', 'likes', 2n, START + 3_600_000)]);
    expect(history.lastUpdates('local', 'g', ['likes', 'gifts', 'absent'])).toEqual(
      new Map([
        ['likes', START + 3_600_000],
        ['gifts', START + 10],
      ]),
    );
    expect(history.oldest()).toBe(bucketStart(3, START));
    await history.deleteBefore(START + 1_800_000);
    expect(history.read('local', 'g', ['gifts'], START - 60_000, START + 7_200_000, 100).series[0]!.buckets).toEqual([]);
    expect(history.read('local', 'g', ['likes'], START + 3_000_000, START + 3_700_000, 100).series[0]!.buckets).toHaveLength(1);
    expect(history.recent('local', 10).map((row) => row.value)).toEqual(['2']);
    database.close();
  });

  it('drops what a tier keeps no longer, and keeps what the coarser tiers still need', async () => {
    const clock = createFakeClock(START);
    const { database, history } = open(clock);
    history.record('local', [update('g', 'likes', 1n, START)]);
    history.foldEnded(START + 2_000);
    const later = START + 3 * 3_600_000;
    history.prune(later);
    expect(storedTier(database, 0).size).toBe(0);
    expect(storedTier(database, 1).size).toBe(1);
    expect(storedTier(database, 3).size).toBe(1);
    // A read of those three hours still finds the update, from the 10 s tier.
    expect(history.read('local', 'g', ['likes'], START, later, 10_000).series[0]!.buckets).toEqual([{ at: START, span: 10_000, min: '1', max: '1', last: '1', lastAt: START, count: 1 }]);
    database.close();
  });
});
