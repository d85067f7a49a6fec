import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { createCoreFixture, type CoreFixture } from '../support/core-fixture';
import { percentile } from '../support/percentile';

let fixture: CoreFixture;
afterEach(async () => fixture?.close());

const GROUP = 'live-friday';

describe('the write ledger', () => {
  it('carries 1,000 increments over 5 s on 3 keys exactly, with no 2996 and few calls', async () => {
    fixture = await createCoreFixture(40);
    const core = await fixture.attach('operator');
    const keys = ['likes', 'gifts', 'viewers'] as const;
    const start = new Map(keys.map((key) => [key, fixture.service.counters(GROUP).get(key)!]));
    const delays: number[] = [];
    const failures: unknown[] = [];
    const settled: Promise<void>[] = [];
    const callsBefore = core.writeJournal.recent().length;
    for (let i = 0; i < 1_000; i += 1) {
      const sentAt = fixture.clock.now();
      settled.push(
        core.api.increaseCounter({ groupID: GROUP, key: keys[i % 3]!, value: '1' }).then(
          () => void delays.push(fixture.clock.now() - sentAt),
          (error: unknown) => void failures.push(error),
        ),
      );
      await fixture.clock.advance(5);
    }
    await fixture.clock.advance(15_000);
    await Promise.all(settled);

    expect(failures).toEqual([]);
    expect(delays).toHaveLength(1_000);
    const sent = (key: string) => BigInt(Array.from({ length: 1_000 }, (_, i) => keys[i % 3]).filter((k) => k === key).length);
    for (const key of keys) expect(fixture.service.counters(GROUP).get(key)).toBe(start.get(key)! + sent(key));
    const calls = core.writeJournal.recent().slice(callsBefore);
    expect(calls.filter((entry) => entry.outcome === 'refused')).toHaveLength(0);
    expect(calls.every((entry) => entry.outcome === 'confirmed')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(2 * 20 + 3);
    console.info(
      `1,000 increments / 5 s / 3 keys: ${calls.length} write calls; intent → confirmation p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, max ${Math.max(...delays)} ms`,
    );
  });

  it('never sends a call the SDK would refuse, even in a burst of 200 intents on 20 keys', async () => {
    fixture = await createCoreFixture(10);
    const { api } = await fixture.attach('operator');
    const keys = Array.from({ length: 17 }, (_, i) => `k${i}`);
    const pending = Array.from({ length: 200 }, (_, i) =>
      i % 5 === 0
        ? api.setCounters({ groupID: GROUP, counters: { [keys[i % 17]!]: String(i) } })
        : api.increaseCounter({ groupID: GROUP, key: keys[i % 17]!, value: '1' }),
    );
    await fixture.clock.advance(20_000);
    await expect(Promise.all(pending)).resolves.toHaveLength(200);
  });

  it('retries a 2996 from the service at the next free slot; the caller never sees it', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    core.client.failNext({ code: ErrorCode.OVER_FREQUENCY_LIMIT, applied: false });
    const before = fixture.service.counters(GROUP).get('likes')!;
    const result = core.api.increaseCounter({ groupID: GROUP, key: 'likes', value: '3' });
    await fixture.clock.advance(6_000);
    await expect(result).resolves.toEqual({ groupID: GROUP, counters: { likes: String(before + 3n) } });
    expect(core.writeJournal.recent().map((entry) => entry.outcome)).toEqual(['refused', 'confirmed']);
  });

  it('reconciles a timeout the service applied: confirmed once, never sent again', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    await core.api.getCounters({ groupID: GROUP });
    const before = fixture.service.counters(GROUP).get('gifts')!;
    core.client.failNext({ code: ErrorCode.NETWORK_TIMEOUT, applied: true });
    const result = core.api.increaseCounter({ groupID: GROUP, key: 'gifts', value: '5' });
    await fixture.clock.advance(100);
    await expect(result).resolves.toEqual({ groupID: GROUP, counters: { gifts: String(before + 5n) } });
    expect(fixture.service.counters(GROUP).get('gifts')).toBe(before + 5n);
    expect(core.writeJournal.recent().map((entry) => entry.outcome)).toEqual(['reconciled-applied']);
  });

  it('reconciles a timeout the service did not apply: sent once more, applied once', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    await core.api.getCounters({ groupID: GROUP });
    const before = fixture.service.counters(GROUP).get('gifts')!;
    core.client.failNext({ code: ErrorCode.NETWORK_TIMEOUT, applied: false });
    const result = core.api.increaseCounter({ groupID: GROUP, key: 'gifts', value: '5' });
    await fixture.clock.advance(100);
    await expect(result).resolves.toEqual({ groupID: GROUP, counters: { gifts: String(before + 5n) } });
    expect(fixture.service.counters(GROUP).get('gifts')).toBe(before + 5n);
    expect(core.writeJournal.recent().map((entry) => entry.outcome)).toEqual(['reconciled-resent', 'confirmed']);
  });

  it('refuses to guess when the counter moved in a way that hides the outcome', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    const other = await fixture.attach('moderator');
    await core.api.getCounters({ groupID: GROUP });
    core.client.failNext({ code: ErrorCode.NETWORK_TIMEOUT, applied: true });
    core.client.setNetwork('disconnected');
    const result = core.api.increaseCounter({ groupID: GROUP, key: 'gifts', value: '5' });
    const outcome = result.catch((error: unknown) => error);
    await other.api.increaseCounter({ groupID: GROUP, key: 'gifts', value: '100' });
    core.client.setNetwork('connected');
    await fixture.clock.advance(100);
    await expect(outcome).resolves.toMatchObject({ code: ErrorCode.OUTCOME_UNKNOWN });
  });

  it('queues intents while the link is down and sends each once when it returns', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    const before = fixture.service.counters(GROUP).get('likes')!;
    core.client.setNetwork('disconnected');
    await fixture.clock.advance(0);
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'reconnecting' });
    const pending = Array.from({ length: 30 }, () => core.api.increaseCounter({ groupID: GROUP, key: 'likes', value: '2' }));
    await fixture.clock.advance(1_000);
    expect(fixture.service.counters(GROUP).get('likes')).toBe(before);
    core.client.setNetwork('connected');
    await fixture.clock.advance(1_000);
    await Promise.all(pending);
    expect(fixture.service.counters(GROUP).get('likes')).toBe(before + 60n);
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'ready' });
  });

  it('settles an increase and a decrease that cancel out without sending anything', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    await core.api.getCounters({ groupID: GROUP });
    core.client.setNetwork('disconnected');
    await fixture.clock.advance(0);
    const up = core.api.increaseCounter({ groupID: GROUP, key: 'likes', value: '7' });
    const down = core.api.decreaseCounter({ groupID: GROUP, key: 'likes', value: '7' });
    core.client.setNetwork('connected');
    await fixture.clock.advance(100);
    const held = String(fixture.service.counters(GROUP).get('likes'));
    await expect(Promise.all([up, down])).resolves.toEqual([
      { groupID: GROUP, counters: { likes: held } },
      { groupID: GROUP, counters: { likes: held } },
    ]);
    expect(core.writeJournal.recent()).toHaveLength(0);
  });

  it('splits a merged set when one intent breaks a rule, so the others still land', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    const filler = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, '1']));
    await core.api.setCounters({ groupID: GROUP, counters: filler });
    core.client.setNetwork('disconnected');
    await fixture.clock.advance(0);
    const good = core.api.setCounters({ groupID: GROUP, counters: { likes: '5' } });
    const bad = core.api.setCounters({ groupID: GROUP, counters: { twenty_first: '1' } }).catch((error: unknown) => error);
    core.client.setNetwork('connected');
    await fixture.clock.advance(100);
    await expect(good).resolves.toEqual({ groupID: GROUP, counters: { likes: '5' } });
    await expect(bad).resolves.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
  });
});
