// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { CountdeckError, ErrorCode } from '../../shared/errors';
import type { Broadcast, CounterUpdate } from '../../shared/types';
import { formatChange } from '../../renderer/src/lib/format';
import { useBroadcastStore } from '../../renderer/src/stores/broadcast';
import { useCountersStore } from '../../renderer/src/stores/counters';
import { seriesID, useSeriesStore } from '../../renderer/src/stores/series';
import { useSessionStore } from '../../renderer/src/stores/session';
import { broadcastOn, deferred, installFakeCountdeck, sessionSnapshot, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia } from './support/mount';

const ROOM = 'live-room';
const OTHER = 'fan-club';

let api: FakeCountdeck;

function serve(counters: Record<string, Record<string, string>>): void {
  api.getCounters.mockImplementation(async ({ groupID }) => ({ groupID, counters: { ...(counters[groupID] ?? {}) }, source: 'service', updatedAt: {} }));
}

function update(key: string, value: string, previous: string | null, at = T0 + 1_000, groupID = ROOM): CounterUpdate {
  return { groupID, key, value, previous, at };
}

function rowOf(key: string, groupID = ROOM) {
  return useCountersStore().groups.get(groupID)?.rows.get(key);
}

beforeEach(() => {
  api = installFakeCountdeck();
  freshPinia();
});

describe('load', () => {
  it('fetches every counter of the group and shows each with its value, and no update time without a stored one', async () => {
    serve({ [ROOM]: { likes: '1200', viewers: '87' } });
    const counters = useCountersStore();
    await counters.load(ROOM);

    expect(api.getCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM });
    const group = counters.groups.get(ROOM)!;
    expect(group.status).toBe('ready');
    expect(group.error).toBeNull();
    expect([...group.rows.values()]).toEqual([
      { key: 'likes', value: '1200', updatedAt: null, inexact: false },
      { key: 'viewers', value: '87', updatedAt: null, inexact: false },
    ]);
    // The chart starts each line at the loaded value.
    expect(useSeriesStore().histories.get(seriesID(ROOM, 'likes'))?.valueAt(0)).toBe(1200);
  });

  it('takes each row\'s last update time from the stored history, so it survives a restart', async () => {
    api.getCounters.mockResolvedValue({ groupID: ROOM, counters: { likes: '1200', viewers: '87' }, source: 'service', updatedAt: { likes: T0 - 60_000 } });
    const counters = useCountersStore();
    await counters.load(ROOM);
    expect(rowOf('likes')?.updatedAt).toBe(T0 - 60_000);
    expect(rowOf('viewers')?.updatedAt).toBeNull();

    // Then from live updates; a reload's stored time older than one heard since does not take it back.
    counters.applyBatch({ seq: 1, updates: [update('likes', '1201', '1200', T0 + 5)] });
    expect(rowOf('likes')?.updatedAt).toBe(T0 + 5);
    await counters.load(ROOM, true);
    expect(rowOf('likes')?.updatedAt).toBe(T0 + 5);
  });

  it('does not fetch a loaded group again unless forced', async () => {
    serve({ [ROOM]: { likes: '1' } });
    const counters = useCountersStore();
    await counters.load(ROOM);
    await counters.load(ROOM);
    expect(api.getCounters).toHaveBeenCalledTimes(1);
    await counters.load(ROOM, true);
    expect(api.getCounters).toHaveBeenCalledTimes(2);
  });

  it('keeps the error (with its code) when the group cannot be read, and retries on the next load', async () => {
    api.getCounters.mockRejectedValueOnce({ code: ErrorCode.GROUP_NOT_FOUND, message: 'No such group.' });
    const counters = useCountersStore();
    await counters.load(ROOM);
    expect(counters.groups.get(ROOM)).toMatchObject({ status: 'error', error: { code: 10010, message: 'No such group.' } });

    serve({ [ROOM]: { likes: '5' } });
    await counters.load(ROOM);
    expect(counters.groups.get(ROOM)).toMatchObject({ status: 'ready', error: null });
    expect(rowOf('likes')?.value).toBe('5');
  });
});

describe('applyBatch', () => {
  beforeEach(async () => {
    serve({ [ROOM]: { likes: '1200', viewers: '87' }, [OTHER]: { hearts: '3' } });
    await useCountersStore().load(ROOM);
  });

  it('moves the value and the time of last update', () => {
    const counters = useCountersStore();
    counters.applyBatch({ seq: 1, updates: [update('likes', '1250', '1200', T0 + 500), update('viewers', '90', '87', T0 + 600)] });

    expect(rowOf('likes')).toEqual({ key: 'likes', value: '1250', updatedAt: T0 + 500, inexact: false });
    expect(rowOf('viewers')).toEqual({ key: 'viewers', value: '90', updatedAt: T0 + 600, inexact: false });
    expect(counters.lastBatchSeq).toBe(1);
  });

  it('applies several updates of one key in order, the last one winning', () => {
    useCountersStore().applyBatch({
      seq: 1,
      updates: [update('likes', '1201', '1200', T0 + 1), update('likes', '1202', '1201', T0 + 2), update('likes', '1203', '1202', T0 + 3)],
    });
    expect(rowOf('likes')).toMatchObject({ value: '1203', updatedAt: T0 + 3, inexact: false });
  });

  it('adds a row for a key created by an update', () => {
    useCountersStore().applyBatch({ seq: 1, updates: [update('gifts', '7', null, T0 + 42)] });
    expect(rowOf('gifts')).toEqual({ key: 'gifts', value: '7', updatedAt: T0 + 42, inexact: false });
  });

  it('keeps int64 values exact', () => {
    useCountersStore().applyBatch({ seq: 1, updates: [update('likes', '9223372036854775807', '1200')] });
    expect(rowOf('likes')?.value).toBe('9223372036854775807');
  });

  it('ignores updates of groups that are not on screen', () => {
    const counters = useCountersStore();
    counters.applyBatch({ seq: 1, updates: [update('hearts', '4', '3', T0, OTHER)] });
    expect(counters.groups.has(OTHER)).toBe(false);
  });

  it('does not reload when batches follow one another', async () => {
    const counters = useCountersStore();
    counters.applyBatch({ seq: 7, updates: [] });
    counters.applyBatch({ seq: 8, updates: [] });
    counters.applyBatch({ seq: 9, updates: [] });
    await flushPromises();
    expect(api.getCounters).toHaveBeenCalledTimes(1);
  });

  it('reloads every loaded group when a batch number is skipped', async () => {
    const counters = useCountersStore();
    await counters.load(OTHER);
    expect(api.getCounters).toHaveBeenCalledTimes(2);
    counters.applyBatch({ seq: 1, updates: [] });
    // Batch 2 was lost: the values moved without the table hearing of it.
    serve({ [ROOM]: { likes: '1300', viewers: '95' }, [OTHER]: { hearts: '9' } });
    counters.applyBatch({ seq: 3, updates: [update('viewers', '95', '92')] });
    await flushPromises();

    expect(api.getCounters).toHaveBeenCalledTimes(4);
    expect(api.getCounters.mock.calls.slice(2).map(([request]) => request)).toEqual(
      expect.arrayContaining([{ groupID: ROOM }, { groupID: OTHER }]),
    );
    expect(rowOf('likes')).toMatchObject({ value: '1300' });
    expect(rowOf('hearts', OTHER)).toMatchObject({ value: '9' });
    expect(counters.lastBatchSeq).toBe(3);
  });

  // The SDK deletes keys without an event (DESIGN.md §1): a fresh get is the only chance to drop them.
  it('drops the rows of keys that a forced reload no longer returns', async () => {
    const counters = useCountersStore();
    serve({ [ROOM]: { likes: '1300' } });
    await counters.load(ROOM, true);
    expect([...counters.groups.get(ROOM)!.rows.keys()]).toEqual(['likes']);
  });
});

describe('a failed reload', () => {
  // Reloads happen when the link is shaky (a batch gap, a reconnect): a failure must not freeze the table.
  it('keeps a loaded group live when a forced reload fails', async () => {
    serve({ [ROOM]: { likes: '1200' } });
    const counters = useCountersStore();
    await counters.load(ROOM);
    counters.applyBatch({ seq: 1, updates: [] });
    api.getCounters.mockRejectedValueOnce({ code: ErrorCode.OVER_FREQUENCY_LIMIT, message: 'Too many reads.' });
    counters.applyBatch({ seq: 3, updates: [] }); // batch 2 lost: reload, which fails
    await flushPromises();

    counters.applyBatch({ seq: 4, updates: [update('likes', '1500', '1200')] });
    expect(rowOf('likes')?.value).toBe('1500');
  });

  it('is retried on the next gap', async () => {
    serve({ [ROOM]: { likes: '1200' } });
    const counters = useCountersStore();
    await counters.load(ROOM);
    counters.applyBatch({ seq: 1, updates: [] });
    api.getCounters.mockRejectedValueOnce({ code: ErrorCode.OVER_FREQUENCY_LIMIT, message: 'Too many reads.' });
    counters.applyBatch({ seq: 3, updates: [] });
    await flushPromises();
    expect(counters.groups.get(ROOM)).toMatchObject({ status: 'ready', error: { code: 2996 } });

    serve({ [ROOM]: { likes: '1600' } });
    counters.applyBatch({ seq: 5, updates: [] });
    await flushPromises();
    expect(counters.groups.get(ROOM)).toMatchObject({ status: 'ready', error: null });
    expect(rowOf('likes')).toMatchObject({ value: '1600' });
  });
});

describe('the broadcast', () => {
  beforeEach(() => {
    serve({ [ROOM]: { likes: '100', viewers: '5' } });
  });

  it('has no baselines, so no "since start", while no broadcast is on', async () => {
    const broadcast = useBroadcastStore();
    await broadcast.start();
    await useCountersStore().load(ROOM);
    expect(broadcast.current).toBeNull();
    expect(broadcast.baselineOf(ROOM, 'likes')).toBeNull();
  });

  it('takes the baselines of the broadcast on at start, kept by the core across a restart', async () => {
    api.getBroadcast.mockResolvedValue(broadcastOn({ name: 'Finals', baselines: [{ groupID: ROOM, key: 'likes', value: '40' }] }));
    const broadcast = useBroadcastStore();
    await broadcast.start();
    expect(broadcast.current?.name).toBe('Finals');
    expect(broadcast.baselineOf(ROOM, 'likes')).toBe('40');
    // Not the value first seen: it counts from the broadcast's start, whenever the table loaded.
    await useCountersStore().load(ROOM);
    expect(formatChange(broadcast.baselineOf(ROOM, 'likes')!, rowOf('likes')!.value)).toBe('+60');
    expect(broadcast.baselineOf(ROOM, 'viewers')).toBeNull();
  });

  it('follows onBroadcast: new baselines, a key first seen since, and the end', async () => {
    const broadcast = useBroadcastStore();
    await broadcast.start();
    api.emit('onBroadcast', broadcastOn({ baselines: [{ groupID: ROOM, key: 'likes', value: '100' }] }));
    expect(broadcast.baselineOf(ROOM, 'likes')).toBe('100');
    api.emit('onBroadcast', broadcastOn({ baselines: [{ groupID: ROOM, key: 'likes', value: '100' }, { groupID: ROOM, key: 'gifts', value: '3' }] }));
    expect(broadcast.baselineOf(ROOM, 'gifts')).toBe('3');
    api.emit('onBroadcast', null);
    expect(broadcast.current).toBeNull();
    expect(broadcast.baselineOf(ROOM, 'likes')).toBeNull();
    // An ended broadcast is no broadcast on.
    api.emit('onBroadcast', broadcastOn({ endedAt: T0 + 1, baselines: [{ groupID: ROOM, key: 'likes', value: '1' }] }));
    expect(broadcast.baselineOf(ROOM, 'likes')).toBeNull();
  });

  it('keeps a broadcast heard while its fetch at start was out', async () => {
    const fetched = deferred<Broadcast | null>();
    api.getBroadcast.mockReturnValueOnce(fetched.promise);
    const broadcast = useBroadcastStore();
    const started = broadcast.start();
    api.emit('onBroadcast', broadcastOn({ id: 2, name: 'Newer' }));
    fetched.resolve(null);
    await started;
    expect(broadcast.current?.name).toBe('Newer');
  });

  it('starts with a checked name and ends, refusing a name that is too long without a call', async () => {
    const broadcast = useBroadcastStore();
    await broadcast.start();
    await expect(broadcast.begin('x'.repeat(81))).resolves.toMatchObject({ reason: 'broadcastName.tooLong', params: { max: 80, length: 81 } });
    expect(api.startBroadcast).not.toHaveBeenCalled();

    await expect(broadcast.begin('  Finals  ')).resolves.toBeNull();
    expect(api.startBroadcast).toHaveBeenCalledExactlyOnceWith({ name: 'Finals' });
    expect(broadcast.current?.name).toBe('Finals');
    await expect(broadcast.begin('')).resolves.toBeNull();
    expect(api.startBroadcast).toHaveBeenLastCalledWith({});

    await expect(broadcast.end()).resolves.toBeNull();
    expect(broadcast.current).toBeNull();
    await expect(broadcast.end()).resolves.toMatchObject({ code: ErrorCode.NO_BROADCAST });
  });
});

describe('change', () => {
  beforeEach(async () => {
    serve({ [ROOM]: { likes: '10' } });
    await useCountersStore().load(ROOM);
  });

  it('sends an increase with the step as the value, and marks the row pending until the call settles', async () => {
    const call = deferred<{ groupID: string; counters: Record<string, string> }>();
    api.increaseCounter.mockReturnValueOnce(call.promise);
    const counters = useCountersStore();

    const result = counters.change(ROOM, 'likes', '5', 1);

    expect(api.increaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '5' });
    expect(api.decreaseCounter).not.toHaveBeenCalled();
    expect(counters.isPending(ROOM, 'likes')).toBe(true);
    call.resolve({ groupID: ROOM, counters: { likes: '15' } });
    await expect(result).resolves.toBeNull();
    expect(counters.isPending(ROOM, 'likes')).toBe(false);
    expect(counters.errorOf(ROOM, 'likes')).toBeNull();
  });

  it('sends a decrease for −, with the step in canonical digits', async () => {
    const counters = useCountersStore();
    await expect(counters.change(ROOM, 'likes', '+007', -1)).resolves.toBeNull();
    expect(api.decreaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '7' });
    expect(api.increaseCounter).not.toHaveBeenCalled();
  });

  it('passes steps beyond 2^53 exactly', async () => {
    await useCountersStore().change(ROOM, 'likes', '9223372036854775807', 1);
    expect(api.increaseCounter).toHaveBeenCalledWith({ groupID: ROOM, key: 'likes', value: '9223372036854775807' });
  });

  it('keeps the row pending while any of several writes is open', async () => {
    const first = deferred<{ groupID: string; counters: Record<string, string> }>();
    const second = deferred<{ groupID: string; counters: Record<string, string> }>();
    api.increaseCounter.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const counters = useCountersStore();
    const a = counters.change(ROOM, 'likes', '1', 1);
    const b = counters.change(ROOM, 'likes', '1', 1);

    first.resolve({ groupID: ROOM, counters: { likes: '11' } });
    await a;
    expect(counters.isPending(ROOM, 'likes')).toBe(true);
    second.resolve({ groupID: ROOM, counters: { likes: '12' } });
    await b;
    expect(counters.isPending(ROOM, 'likes')).toBe(false);
  });

  it.each([
    ['0', 'delta.tooSmall'],
    ['1.5', 'delta.fraction'],
    ['-3', 'delta.tooSmall'],
    ['', 'delta.empty'],
    ['abc', 'delta.notDigits'],
    ['9223372036854775808', 'delta.tooLarge'],
  ])('refuses the step %j with %s and sends nothing', async (step, reason) => {
    const counters = useCountersStore();
    for (const direction of [1, -1] as const) {
      const refused = await counters.change(ROOM, 'likes', step, direction);
      expect(refused).toMatchObject({ code: ErrorCode.DELTA_INVALID, reason });
    }
    expect(counters.isPending(ROOM, 'likes')).toBe(false);
    expect(api.increaseCounter).not.toHaveBeenCalled();
    expect(api.decreaseCounter).not.toHaveBeenCalled();
  });

  it('puts a refused call on the row with its code, clears pending, and forgets it on dismiss', async () => {
    const call = deferred<never>();
    api.increaseCounter.mockReturnValueOnce(call.promise);
    const counters = useCountersStore();
    const result = counters.change(ROOM, 'likes', '2', 1);
    expect(counters.isPending(ROOM, 'likes')).toBe(true);

    call.reject({ code: ErrorCode.NO_PERMISSION, message: 'Not a member.' });
    const error = await result;

    expect(error).toBeInstanceOf(CountdeckError);
    expect(error).toMatchObject({ code: 10007, message: 'Not a member.' });
    expect(counters.isPending(ROOM, 'likes')).toBe(false);
    expect(counters.errorOf(ROOM, 'likes')).toMatchObject({ code: 10007, message: 'Not a member.' });
    expect(counters.errorOf(ROOM, 'viewers')).toBeNull();

    counters.dismissError(ROOM, 'likes');
    expect(counters.errorOf(ROOM, 'likes')).toBeNull();
  });

  it('clears an old row error when a new write on the row starts', async () => {
    api.decreaseCounter.mockRejectedValueOnce({ code: ErrorCode.OVER_FREQUENCY_LIMIT, message: 'Too many.' });
    const counters = useCountersStore();
    await counters.change(ROOM, 'likes', '1', -1);
    expect(counters.errorOf(ROOM, 'likes')?.code).toBe(2996);

    await counters.change(ROOM, 'likes', '1', -1);
    expect(counters.errorOf(ROOM, 'likes')).toBeNull();
  });

  it('turns a rejection without a code into an internal error with the message', async () => {
    api.increaseCounter.mockRejectedValueOnce(new Error('bridge gone'));
    const error = await useCountersStore().change(ROOM, 'likes', '1', 1);
    expect(error).toMatchObject({ code: ErrorCode.INTERNAL, message: 'bridge gone' });
  });
});

describe('setMany and setValue', () => {
  const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i + 1}`, String(i)]));

  beforeEach(async () => {
    serve({ [ROOM]: twenty });
    await useCountersStore().load(ROOM);
  });

  it('sends the values in one setCounters call, in canonical digits, and tracks each row', async () => {
    const call = deferred<{ groupID: string; counters: Record<string, string> }>();
    api.setCounters.mockReturnValueOnce(call.promise);
    const counters = useCountersStore();
    const result = counters.setMany(ROOM, { k1: '0042', k2: '-9223372036854775808' });

    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { k1: '42', k2: '-9223372036854775808' } });
    expect(counters.isPending(ROOM, 'k1')).toBe(true);
    expect(counters.isPending(ROOM, 'k2')).toBe(true);
    expect(counters.isPending(ROOM, 'k3')).toBe(false);
    call.resolve({ groupID: ROOM, counters: { k1: '42' } });
    await expect(result).resolves.toBeNull();
    expect(counters.isPending(ROOM, 'k1')).toBe(false);
  });

  it('refuses a 21st key on a group holding 20, without calling setCounters', async () => {
    const refused = await useCountersStore().setMany(ROOM, { k21: '1' });
    expect(refused).toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS, reason: 'counters.capacity', params: { max: 20, count: 21 } });
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('still lets a full group set keys it already has', async () => {
    await expect(useCountersStore().setMany(ROOM, { k20: '1', k1: '2' })).resolves.toBeNull();
    expect(api.setCounters).toHaveBeenCalledTimes(1);
  });

  it('refuses a 129-byte key without calling setCounters', async () => {
    const counters = useCountersStore();
    await counters.load(OTHER);
    const ascii = await counters.setMany(OTHER, { ['k'.repeat(129)]: '1' });
    expect(ascii).toMatchObject({ code: ErrorCode.KEY_TOO_LONG, reason: 'key.tooLong', params: { max: 128, bytes: 129 } });
    const chinese = await counters.setValue(OTHER, '赞'.repeat(43), '1');
    expect(chinese).toMatchObject({ code: ErrorCode.KEY_TOO_LONG, reason: 'key.tooLong', params: { bytes: 129 } });
    expect(api.setCounters).not.toHaveBeenCalled();
    // 128 bytes is fine.
    await expect(counters.setValue(OTHER, 'k'.repeat(128), '1')).resolves.toBeNull();
    expect(api.setCounters).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['1.5', 'value.fraction'],
    ['9223372036854775808', 'value.range'],
    ['', 'value.empty'],
    ['1,23', 'value.notDigits'],
  ])('setValue refuses the value %j with %s and sends nothing', async (value, reason) => {
    await expect(useCountersStore().setValue(ROOM, 'k1', value)).resolves.toMatchObject({ reason });
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('takes grouped digits as typed, and sends them plain', async () => {
    await expect(useCountersStore().setValue(ROOM, 'k1', '1,234')).resolves.toBeNull();
    expect(api.setCounters).toHaveBeenCalledWith({ groupID: ROOM, counters: { k1: '1234' } });
  });

  it('refuses values a JS number cannot carry while signed in to Tencent Cloud', async () => {
    api.getSession.mockResolvedValue(sessionSnapshot({ backend: 'tencent' }));
    await useSessionStore().start();
    const counters = useCountersStore();
    await expect(counters.setValue(ROOM, 'k1', '9007199254740992')).resolves.toMatchObject({ code: ErrorCode.VALUE_NOT_EXACT, reason: 'value.notExact' });
    expect(counters.checkStep('9007199254740993')).toMatchObject({ code: ErrorCode.VALUE_NOT_EXACT });
    await expect(counters.setValue(ROOM, 'k1', '9007199254740991')).resolves.toBeNull();
    expect(api.setCounters).toHaveBeenCalledTimes(1);
  });

  it('puts a refused set on every row it carried', async () => {
    api.setCounters.mockRejectedValueOnce({ code: ErrorCode.NO_USE, message: 'Ultimate only.' });
    const counters = useCountersStore();
    await expect(counters.setMany(ROOM, { k1: '1', k2: '2' })).resolves.toMatchObject({ code: 3122 });
    expect(counters.errorOf(ROOM, 'k1')?.code).toBe(3122);
    expect(counters.errorOf(ROOM, 'k2')?.code).toBe(3122);
    expect(counters.isPending(ROOM, 'k1')).toBe(false);
  });
});
