import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHAT_EVENT } from '../../electron/core/chat/chat-like';
import {
  DEFAULT_LIVE_RATES,
  MAX_RATE,
  openLocalService,
  type LocalService,
  type LocalServiceOptions,
} from '../../electron/core/chat/local';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

type LogFn = NonNullable<LocalServiceOptions['log']>;

const LIVE = 'live-friday';
let clock: FakeClock;
let service: LocalService;
let random: ReturnType<typeof vi.fn<() => number>>;
let log: ReturnType<typeof vi.fn<LogFn>>;

beforeEach(async () => {
  clock = createFakeClock();
  random = vi.fn(() => 0.7); // viewers go up unless a test says otherwise
  log = vi.fn<LogFn>();
  service = await openLocalService({ clock, random, log });
});
afterEach(() => service.close());

const value = (key: string, groupID = LIVE) => service.counters(groupID).get(key) ?? 0n;

describe('local service: traffic simulator', () => {
  it('is off until started', async () => {
    expect(service.simulator.running).toBe(false);
    await clock.advance(10_000);
    expect(service.counters(LIVE)).toEqual(new Map([['viewers', 1_284n], ['likes', 53_210n], ['gifts', 342n]]));
  });

  it('has default rates for the live rooms only', () => {
    expect(service.simulator.getRates(LIVE)).toEqual(DEFAULT_LIVE_RATES);
    expect(service.simulator.getRates('live-karaoke')).toEqual(DEFAULT_LIVE_RATES);
    expect(service.simulator.getRates('fan-club')).toBeNull();
  });

  it('moves the counters at the configured rates, carrying fractions over', async () => {
    service.simulator.setRates(LIVE, { viewers: 4, likes: 25, gifts: 0.3 });
    service.simulator.start();
    expect(service.simulator.running).toBe(true);
    await clock.advance(10_000);
    expect(value('likes') - 53_210n).toBe(250n);
    expect(value('gifts') - 342n).toBe(3n);
    expect(value('viewers') - 1_284n).toBe(40n); // random is 0.7: every step goes up
  });

  it('walks viewers up and down, never below zero', async () => {
    const client = service.createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    await client.setGroupCounters({ groupID: LIVE, counters: { viewers: 2n } });
    const seen: bigint[] = [];
    client.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, (event) => {
      if (event.data.key === 'viewers') seen.push(event.data.value);
    });
    random.mockReturnValue(0.1); // always down
    service.simulator.setRates(LIVE, { viewers: 10, likes: 0, gifts: 0 });
    service.simulator.start();
    await clock.advance(2_000);
    expect(seen).toHaveLength(20);
    expect(seen.slice(0, 4)).toEqual([1n, 0n, 1n, 0n]);
    expect(seen.every((viewers) => viewers >= 0n)).toBe(true);
  });

  it('writes as the system: members hear every event, no client budget is spent', async () => {
    const client = service.createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    const updates = vi.fn();
    client.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, updates);
    service.simulator.setRates(LIVE, { viewers: 0, likes: 50, gifts: 0 });
    service.simulator.start();
    await clock.advance(2_000);
    expect(updates).toHaveBeenCalledTimes(100);
    expect(updates).toHaveBeenLastCalledWith({
      name: CHAT_EVENT.GROUP_COUNTER_UPDATED,
      data: { groupID: LIVE, key: 'likes', value: 53_310n, groupCounterSeq: 100 },
    });
    for (let i = 0; i < 20; i += 1) await client.increaseGroupCounter({ groupID: LIVE, key: 'likes', value: 1n });
  });

  it('simulates any group given rates, creating missing counters at 0', async () => {
    service.simulator.setRates('fan-club', { likes: 1 });
    expect(service.simulator.getRates('fan-club')).toEqual({ viewers: 0, likes: 1, gifts: 0 });
    service.simulator.start();
    await clock.advance(3_000);
    expect(value('likes', 'fan-club')).toBe(3n);
  });

  it('stops when told, and start/stop can repeat', async () => {
    service.simulator.start();
    service.simulator.start();
    await clock.advance(1_000);
    service.simulator.stop();
    expect(service.simulator.running).toBe(false);
    const frozen = service.counters(LIVE);
    await clock.advance(10_000);
    expect(service.counters(LIVE)).toEqual(frozen);
    service.simulator.start();
    await clock.advance(1_000);
    expect(value('likes')).toBeGreaterThan(frozen.get('likes') ?? 0n);
  });

  it('refuses negative, NaN, infinite or too large rates, unknown counters and groups, changing nothing', () => {
    const bad: [string, object, RegExp][] = [
      [LIVE, { likes: -1 }, /likes rate/],
      [LIVE, { gifts: Number.NaN }, /gifts rate/],
      [LIVE, { viewers: Number.POSITIVE_INFINITY }, /viewers rate/],
      [LIVE, { likes: MAX_RATE + 1 }, /from 0 to 1000/],
      [LIVE, { likes: 5, shares: 1 }, /"shares" is not a simulated counter/],
      ['nope', { likes: 1 }, /no group "nope"/],
    ];
    for (const [groupID, rates, message] of bad) {
      expect(() => service.simulator.setRates(groupID, rates)).toThrow(message);
    }
    expect(service.simulator.getRates(LIVE)).toEqual(DEFAULT_LIVE_RATES);
  });

  it('stops a counter it cannot write, with one warning', async () => {
    const client = service.createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    const filler = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`k${i}`, 0n]));
    await client.setGroupCounters({ groupID: 'studio-lobby', counters: filler });
    service.simulator.setRates('studio-lobby', { likes: 5 });
    service.simulator.start();
    await clock.advance(3_000);
    expect(service.counters('studio-lobby').has('likes')).toBe(false);
    expect(service.simulator.getRates('studio-lobby')?.likes).toBe(0);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('stopped likes in "studio-lobby"'));
  });

  it('is stopped by close and cannot start again', async () => {
    service.simulator.start();
    await service.close();
    expect(service.simulator.running).toBe(false);
    expect(() => service.simulator.start()).toThrow(/closed/);
  });
});
