import { describe, expect, it } from 'vitest';
import { CounterStore, HELD_FRESH_MS, type IncomingCounter } from '../../electron/core/session/counter-store';

const G = 'live-friday';
const T0 = 1_000_000;

const event = (key: string, value: bigint, seq?: number, groupID = G): IncomingCounter =>
  seq === undefined ? { groupID, key, value } : { groupID, key, value, seq };

const snapshot = (entries: Record<string, bigint>): Map<string, bigint> => new Map(Object.entries(entries));

describe('CounterStore events', () => {
  it("lists a group's keys in the service's order once read, whichever order events brought them in", () => {
    const store = new CounterStore();
    store.applyEvent(event('likes', 10n, 4), T0);
    store.applyEvent(event('late', 1n, 9), T0);
    store.applySnapshot(G, snapshot({ viewers: 5n, likes: 10n, gifts: 2n }), 5, T0 + 1);
    // A key an event newer than the snapshot created stays, after the ones the service listed.
    expect([...store.values(G).keys()]).toEqual(['viewers', 'likes', 'gifts', 'late']);
  });

  it('publishes each event with the value held before it (null for a new key)', () => {
    const store = new CounterStore();
    expect(store.applyEvent(event('likes', 10n, 1), T0)).toEqual({ groupID: G, key: 'likes', value: '10', previous: null, at: T0 });
    expect(store.applyEvent(event('likes', 12n, 2), T0 + 5)).toEqual({ groupID: G, key: 'likes', value: '12', previous: '10', at: T0 + 5 });
    expect(store.value(G, 'likes')).toBe(12n);
  });

  it('never lets an event with an older groupCounterSeq overwrite a newer one', () => {
    const store = new CounterStore();
    store.applyEvent(event('likes', 100n, 7), T0);
    expect(store.applyEvent(event('likes', 90n, 6), T0 + 1)).toBeNull();
    expect(store.applyEvent(event('likes', 80n, 1), T0 + 2)).toBeNull();
    expect(store.value(G, 'likes')).toBe(100n);
    expect(store.applyEvent(event('likes', 101n, 8), T0 + 3)).toMatchObject({ value: '101', previous: '100' });
  });

  it('drops an event older than the last snapshot, even for a key the snapshot did not have', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 5n }), 10, T0);
    expect(store.applyEvent(event('gifts', 3n, 9), T0 + 1)).toBeNull();
    expect(store.values(G)).toEqual(snapshot({ likes: 5n }));
    expect(store.applyEvent(event('gifts', 4n, 11), T0 + 2)).toMatchObject({ key: 'gifts', value: '4', previous: null });
  });

  it('always applies events without a sequence (the Tencent SDK path), whatever it holds', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 5n }), 10, T0);
    store.applyEvent(event('likes', 50n, 20), T0 + 1);
    expect(store.applyEvent(event('likes', 7n), T0 + 2)).toMatchObject({ value: '7', previous: '50' });
    expect(store.applyEvent(event('likes', 8n, 0), T0 + 3)).toMatchObject({ value: '8', previous: '7' });
    expect(store.applyEvent(event('gifts', 1n), T0 + 4)).toMatchObject({ value: '1', previous: null });
    expect(store.values(G)).toEqual(snapshot({ likes: 8n, gifts: 1n }));
  });

  it('keeps groups apart', () => {
    const store = new CounterStore();
    store.applyEvent(event('likes', 1n, 5), T0);
    expect(store.applyEvent(event('likes', 2n, 1, 'fan-club'), T0)).toMatchObject({ groupID: 'fan-club', previous: null });
    expect(store.value(G, 'likes')).toBe(1n);
    expect(store.value('fan-club', 'likes')).toBe(2n);
  });
});

describe('CounterStore snapshots', () => {
  it('replaces the held values and reports only held values that changed (a key seen first is news to no one)', () => {
    const store = new CounterStore();
    store.applyEvent(event('likes', 10n, 1), T0);
    store.applyEvent(event('gifts', 3n, 2), T0);
    const changes = store.applySnapshot(G, snapshot({ likes: 10n, gifts: 4n, viewers: 9n }), 3, T0 + 10);
    expect(changes).toEqual([{ groupID: G, key: 'gifts', value: '4', previous: '3', at: T0 + 10 }]);
    expect(store.values(G)).toEqual(snapshot({ likes: 10n, gifts: 4n, viewers: 9n }));
    expect(store.sequence(G)).toBe(3);
  });

  it('removes keys the snapshot lacks when nothing newer holds them', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 1n, old: 2n }), 4, T0);
    store.applyEvent(event('seqless', 3n), T0 + 1);
    store.applyEvent(event('older', 6n, 5), T0 + 1);
    store.applySnapshot(G, snapshot({ likes: 1n }), 6, T0 + 2);
    expect(store.values(G)).toEqual(snapshot({ likes: 1n }));
    expect(store.value(G, 'old')).toBeUndefined();
    // A later event re-creates a removed key as new.
    expect(store.applyEvent(event('old', 1n, 7), T0 + 3)).toMatchObject({ previous: null });
  });

  it('removes missing keys also when the snapshot carries no sequence', () => {
    const store = new CounterStore();
    store.applyEvent(event('likes', 1n, 3), T0);
    store.applyEvent(event('gifts', 2n, 4), T0);
    store.applySnapshot(G, snapshot({ likes: 9n }), undefined, T0 + 1);
    expect(store.values(G)).toEqual(snapshot({ likes: 9n }));
  });

  it('keeps newer event values, and keys created by newer events, when the snapshot is older', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 10n, gifts: 1n }), 5, T0);
    store.applyEvent(event('likes', 30n, 8), T0 + 1);
    store.applyEvent(event('fresh', 2n, 9), T0 + 2);
    // A fetch answered at seq 7 arrives after those events.
    const changes = store.applySnapshot(G, snapshot({ likes: 20n, gifts: 1n }), 7, T0 + 3);
    expect(changes).toEqual([]);
    expect(store.values(G)).toEqual(snapshot({ likes: 30n, gifts: 1n, fresh: 2n }));
    expect(store.sequence(G)).toBe(9);
  });

  it('ignores a snapshot older than one already applied, and does not revive deleted keys', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 30n }), 10, T0);
    expect(store.applySnapshot(G, snapshot({ likes: 20n, gone: 1n }), 6, T0 + 1)).toEqual([]);
    expect(store.values(G)).toEqual(snapshot({ likes: 30n }));
    expect(store.sequence(G)).toBe(10);
  });

  it('answers the listed keys only, and nothing for a group it does not hold', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 1n, gifts: 2n }), 1, T0);
    expect(store.values(G, ['gifts', 'absent'])).toEqual(snapshot({ gifts: 2n }));
    expect(store.values('nowhere')).toEqual(new Map());
    expect(store.sequence('nowhere')).toBeUndefined();
  });
});

describe('CounterStore freshness', () => {
  it('is not fresh from events alone: only a full fetch makes a group complete', () => {
    const store = new CounterStore();
    store.applyEvent(event('likes', 1n, 1), T0);
    expect(store.isFresh(G, T0)).toBe(false);
    store.applySnapshot(G, snapshot({ likes: 1n }), 1, T0);
    expect(store.isFresh(G, T0)).toBe(true);
  });

  it(`stays fresh for HELD_FRESH_MS (${HELD_FRESH_MS} ms) after the last fetch or event`, () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 1n }), 1, T0);
    expect(store.isFresh(G, T0 + HELD_FRESH_MS - 1)).toBe(true);
    expect(store.isFresh(G, T0 + HELD_FRESH_MS)).toBe(false);
    store.applyEvent(event('likes', 2n, 2), T0 + 20_000);
    expect(store.isFresh(G, T0 + 20_000 + HELD_FRESH_MS - 1)).toBe(true);
    expect(store.isFresh(G, T0 + 20_000 + HELD_FRESH_MS)).toBe(false);
  });

  it('a stale event does not extend freshness', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 5n }), 10, T0);
    store.applyEvent(event('likes', 1n, 3), T0 + 20_000);
    expect(store.isFresh(G, T0 + HELD_FRESH_MS)).toBe(false);
  });

  it('markAllStale forgets completeness for every group but keeps the values until the next fetch', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 1n }), 1, T0);
    store.applySnapshot('fan-club', snapshot({ badges: 2n }), 1, T0);
    store.markAllStale();
    expect(store.isFresh(G, T0)).toBe(false);
    expect(store.isFresh('fan-club', T0)).toBe(false);
    expect(store.value(G, 'likes')).toBe(1n);
    store.applyEvent(event('likes', 2n, 2), T0 + 1);
    expect(store.isFresh(G, T0 + 1)).toBe(false);
    store.applySnapshot(G, snapshot({ likes: 2n }), 2, T0 + 2);
    expect(store.isFresh(G, T0 + 2)).toBe(true);
    expect(store.isFresh('fan-club', T0 + 2)).toBe(false);
  });

  it('clear() drops every group', () => {
    const store = new CounterStore();
    store.applySnapshot(G, snapshot({ likes: 1n }), 1, T0);
    store.clear();
    expect(store.values(G)).toEqual(new Map());
    expect(store.isFresh(G, T0)).toBe(false);
    expect(store.applyEvent(event('likes', 1n, 1), T0)).toMatchObject({ previous: null });
  });
});
