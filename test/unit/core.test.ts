import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import { collectBatches, createCoreFixture, type CoreFixture } from '../support/core-fixture';

let fixture: CoreFixture;
afterEach(async () => fixture?.close());

describe('createCore on the embedded service', () => {
  it('signs in and lists the demo groups, a live-stream room among them', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    await expect(core.api.getSession()).resolves.toMatchObject({ state: 'ready', backend: 'local', userID: 'operator', reason: null });
    const groups = await core.api.listGroups();
    expect(groups.length).toBeGreaterThanOrEqual(4);
    expect(groups.some((group) => group.type === 'AVChatRoom')).toBe(true);
  });

  it("follows the seeds' examples: 8 + 2 = 10, 8 − 2 = 6, set key1 and key2 to 0", async () => {
    fixture = await createCoreFixture();
    const { api } = await fixture.attach('operator');
    const { settle } = fixture;
    await settle(api.setCounters({ groupID: 'fan-club', counters: { key1: '8' } }));
    await expect(settle(api.increaseCounter({ groupID: 'fan-club', key: 'key1', value: '2' }))).resolves.toEqual({ groupID: 'fan-club', counters: { key1: '10' } });
    await settle(api.setCounters({ groupID: 'fan-club', counters: { key1: '8' } }));
    await expect(settle(api.decreaseCounter({ groupID: 'fan-club', key: 'key1', value: '2' }))).resolves.toEqual({ groupID: 'fan-club', counters: { key1: '6' } });
    await expect(settle(api.setCounters({ groupID: 'fan-club', counters: { key1: '0', key2: '0' } }))).resolves.toEqual({
      groupID: 'fan-club',
      counters: { key1: '0', key2: '0' },
    });
    expect(fixture.service.counters('fan-club').get('key2')).toBe(0n);
  });

  it('keeps int64 exact end to end, at both bounds', async () => {
    fixture = await createCoreFixture();
    const { api } = await fixture.attach('operator');
    const max = '9223372036854775807';
    const min = '-9223372036854775808';
    await api.setCounters({ groupID: 'fan-club', counters: { top: max, bottom: min } });
    await expect(api.getCounters({ groupID: 'fan-club', keyList: ['top', 'bottom'] })).resolves.toMatchObject({ counters: { top: max, bottom: min } });
    await expect(api.increaseCounter({ groupID: 'fan-club', key: 'top', value: '1' })).rejects.toMatchObject({ code: ErrorCode.RESULT_OUT_OF_RANGE });
    expect(fixture.service.counters('fan-club').get('top')).toBe(2n ** 63n - 1n);
  });

  it("delivers one user's set to another user's subscription, in numbered batches", async () => {
    fixture = await createCoreFixture();
    const operator = await fixture.attach('operator');
    const moderator = await fixture.attach('moderator');
    const seen = collectBatches(moderator);
    await operator.api.setCounters({ groupID: 'live-friday', counters: { likes: '777' } });
    await fixture.clock.advance(FLUSH_INTERVAL_MS);
    const updates = seen.flatMap((batch) => batch.updates);
    expect(updates).toContainEqual(expect.objectContaining({ groupID: 'live-friday', key: 'likes', value: '777', previous: null }));
    expect(seen.map((batch) => batch.seq)).toEqual(seen.map((_, index) => index + 1));
  });

  it('batches a burst of events into one flush per flush interval', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    const batches = collectBatches(core);
    const emittedAt: number[] = [];
    core.api.onCounterBatch(() => emittedAt.push(fixture!.clock.now()));
    fixture.service.simulator.setRates('live-friday', { viewers: 0, likes: 400, gifts: 0 });
    fixture.service.simulator.start();
    await fixture.clock.advance(1_000);
    fixture.service.simulator.stop();
    await fixture.clock.advance(FLUSH_INTERVAL_MS);
    const events = batches.reduce((sum, batch) => sum + batch.updates.length, 0);
    expect(events).toBeGreaterThan(300);
    expect(batches.length).toBeLessThanOrEqual(1_000 / FLUSH_INTERVAL_MS + 2);
    for (let i = 1; i < emittedAt.length; i += 1) expect(emittedAt[i]! - emittedAt[i - 1]!).toBeGreaterThanOrEqual(FLUSH_INTERVAL_MS);
  });

  it('answers reads from held counters once fetched, and budgets the fetch', async () => {
    fixture = await createCoreFixture();
    const { api } = await fixture.attach('operator');
    await expect(api.getCounters({ groupID: 'live-friday' })).resolves.toMatchObject({ source: 'service', counters: { viewers: '1284' } });
    await expect(api.getCounters({ groupID: 'live-friday', keyList: ['likes'] })).resolves.toEqual({
      groupID: 'live-friday',
      source: 'held',
      counters: { likes: '53210' },
      updatedAt: {},
    });
    expect((await api.getBudget()).read).toMatchObject({ used: 1, left: 19, limit: 20 });
  });

  it('refuses a 21st key before spending budget when the group is held', async () => {
    fixture = await createCoreFixture();
    const { api } = await fixture.attach('operator');
    const twenty = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`extra${i}`, '1']));
    await api.setCounters({ groupID: 'live-friday', counters: twenty });
    await api.getCounters({ groupID: 'live-friday' });
    const before = (await api.getBudget()).write.used;
    await expect(api.increaseCounter({ groupID: 'live-friday', key: 'one_too_many', value: '1' })).rejects.toMatchObject({ code: ErrorCode.TOO_MANY_COUNTERS });
    expect((await api.getBudget()).write.used).toBe(before);
  });

  it('passes service errors through with their codes', async () => {
    fixture = await createCoreFixture();
    const { api } = await fixture.attach('outsider');
    await expect(api.getCounters({ groupID: 'mod-team' })).rejects.toMatchObject({ code: ErrorCode.NO_PERMISSION });
    await expect(api.joinGroup('no-such-group')).rejects.toMatchObject({ code: ErrorCode.GROUP_NOT_FOUND });
    await expect(api.joinGroup('live-karaoke')).resolves.toMatchObject({ groupID: 'live-karaoke', type: 'AVChatRoom' });
  });

  it('reports a kick-out when the same user signs in elsewhere', async () => {
    fixture = await createCoreFixture();
    const first = await fixture.attach('operator');
    const states: string[] = [];
    first.api.onSession((session) => states.push(session.state));
    await fixture.attach('operator');
    await fixture.clock.advance(0);
    expect(states).toContain('kicked-out');
    await expect(first.api.getSession()).resolves.toMatchObject({ state: 'kicked-out', reason: { code: ErrorCode.KICKED_OUT_MULT_ACCOUNT } });
  });

  it('on shutdown, waits for queued changes to go out, then names those that could not', async () => {
    fixture = await createCoreFixture();
    const core = await fixture.attach('operator');
    const sent = core.api.increaseCounter({ groupID: 'live-friday', key: 'likes', value: '1' });
    await fixture.clock.advance(10);
    await expect(sent).resolves.toBeDefined();
    core.client.setNetwork('disconnected');
    await fixture.clock.advance(0);
    const stranded = core.api.increaseCounter({ groupID: 'live-friday', key: 'gifts', value: '5' }).catch((error: unknown) => error);
    await fixture.clock.advance(0);
    const unsent = core.shutdown(1_000);
    await fixture.clock.advance(1_100);
    await expect(unsent).resolves.toMatchObject([{ groupID: 'live-friday', key: 'gifts', change: '+5', state: 'queued', resumed: false }]);
    await expect(stranded).resolves.toMatchObject({ code: ErrorCode.CORE_CLOSED });
  });

  it('counts keys that queued changes will create, so a burst of new keys cannot pass the 20 one by one', async () => {
    fixture = await createCoreFixture();
    const { api } = await fixture.attach('operator');
    await api.getCounters({ groupID: 'live-friday' });
    const outcomes = Array.from({ length: 18 }, (_, i) =>
      api.increaseCounter({ groupID: 'live-friday', key: `new_${i}`, value: '1' }).then(
        () => 'ok',
        (error: { code: number }) => error.code,
      ),
    );
    await fixture.clock.advance(20_000);
    const settled = await Promise.all(outcomes);
    expect(settled.filter((outcome) => outcome === 'ok')).toHaveLength(17);
    expect(settled.at(-1)).toBe(ErrorCode.TOO_MANY_COUNTERS);
    expect(fixture.service.counters('live-friday').size).toBe(20);
  });

  it('lets the administrator create a group whose counter changes reach its members', async () => {
    fixture = await createCoreFixture();
    expect(fixture.service.createGroup({ groupID: 'admin-room', name: 'Admin Room', type: 'AVChatRoom', members: ['operator'] })).toEqual({ ok: true, value: true });
    expect(fixture.service.createGroup({ groupID: 'admin-room', name: 'Again', type: 'Public', members: [] }).ok).toBe(false);
    expect(fixture.service.createGroup({ groupID: '@TGS#_x@TOPIC#_y', name: 'Topic', type: 'Public', members: [] }).ok).toBe(false);
    const core = await fixture.attach('operator');
    const batches = collectBatches(core);
    await expect(core.api.listGroups()).resolves.toContainEqual(expect.objectContaining({ groupID: 'admin-room', type: 'AVChatRoom' }));
    fixture.service.systemWrite('admin-room', 'likes', 5n);
    await fixture.clock.advance(FLUSH_INTERVAL_MS);
    expect(batches.flatMap((batch) => batch.updates)).toContainEqual(expect.objectContaining({ groupID: 'admin-room', key: 'likes', value: '5' }));
  });
});
