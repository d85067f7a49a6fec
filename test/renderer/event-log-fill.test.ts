// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { CounterUpdate } from '../../shared/types';
import EventLog from '../../renderer/src/components/EventLog.vue';
import { EVENT_LOG_SIZE, useEventLogStore } from '../../renderer/src/stores/event-log';
import { useGroupsStore } from '../../renderer/src/stores/groups';
import { deferred, groupSummary, installFakeCountdeck, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

function update(key: string, value: number, at: number, groupID = 'room'): CounterUpdate {
  return { groupID, key, value: String(value), previous: String(value - 1), at };
}

const shown = () => useEventLogStore().entries.map((entry) => `${entry.key}=${entry.value}`);

beforeEach(() => {
  api = installFakeCountdeck();
  freshPinia();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('filling the log from the stored updates', () => {
  it('shows the stored updates, newest first, and asks for as many as the log keeps', async () => {
    api.getRecentUpdates.mockResolvedValue([update('likes', 3, T0 - 1_000), update('likes', 2, T0 - 2_000), update('gifts', 1, T0 - 3_000)]);
    await useEventLogStore().fill();
    expect(api.getRecentUpdates).toHaveBeenCalledExactlyOnceWith({ limit: EVENT_LOG_SIZE });
    expect(shown()).toEqual(['likes=3', 'likes=2', 'gifts=1']);
    expect(new Set(useEventLogStore().entries.map((entry) => entry.id)).size).toBe(3);
  });

  it('merges the live batches heard while it loaded, each update once, newest first', async () => {
    const stored = deferred<CounterUpdate[]>();
    api.getRecentUpdates.mockReturnValueOnce(stored.promise);
    const log = useEventLogStore();
    const filling = log.fill();
    // Heard live while the fill was out; the core had stored the first of them too.
    log.append({ seq: 1, updates: [update('likes', 4, T0), update('likes', 5, T0 + 10)] });
    stored.resolve([update('likes', 4, T0), update('likes', 3, T0 - 1_000), update('gifts', 1, T0 - 2_000)]);
    await filling;
    expect(shown()).toEqual(['likes=5', 'likes=4', 'likes=3', 'gifts=1']);
  });

  it('does not show twice a stored update whose live batch comes after the fill', async () => {
    api.getRecentUpdates.mockResolvedValue([update('likes', 4, T0), update('likes', 3, T0 - 1_000)]);
    const log = useEventLogStore();
    await log.fill();
    log.append({ seq: 1, updates: [update('likes', 4, T0), update('likes', 5, T0 + 10)] });
    expect(shown()).toEqual(['likes=5', 'likes=4', 'likes=3']);
    // An update like it but later is another one.
    log.append({ seq: 2, updates: [update('likes', 4, T0 + 20)] });
    expect(shown()).toEqual(['likes=4', 'likes=5', 'likes=4', 'likes=3']);
  });

  it(`keeps the newest ${EVENT_LOG_SIZE} of live and stored together`, async () => {
    api.getRecentUpdates.mockResolvedValue(Array.from({ length: EVENT_LOG_SIZE }, (_, i) => update('likes', 1_000 - i, T0 - i)));
    const log = useEventLogStore();
    const filling = log.fill();
    log.append({ seq: 1, updates: [update('gifts', 1, T0 + 1)] });
    await filling;
    expect(log.entries).toHaveLength(EVENT_LOG_SIZE);
    expect(shown().slice(0, 2)).toEqual(['gifts=1', 'likes=1000']);
  });

  it('drops a fill answered after a switch of connection, and keeps the live rows when it fails', async () => {
    const stored = deferred<CounterUpdate[]>();
    api.getRecentUpdates.mockReturnValueOnce(stored.promise);
    const log = useEventLogStore();
    const filling = log.fill();
    log.reset();
    log.append({ seq: 1, updates: [update('hearts', 1, T0, 'club')] });
    stored.resolve([update('likes', 9, T0 - 1)]);
    await filling;
    expect(shown()).toEqual(['hearts=1']);

    api.getRecentUpdates.mockRejectedValueOnce({ code: 9033, message: 'disk I/O error' });
    await log.fill();
    expect(shown()).toEqual(['hearts=1']);
  });
});

describe('the filter', () => {
  it('matches the group names shown, not only the IDs', async () => {
    api.listGroups.mockResolvedValue([groupSummary('live-fnl', 'Friday Night Live', 'AVChatRoom'), groupSummary('club', 'Fan club')]);
    await useGroupsStore().load();
    const log = useEventLogStore();
    log.append({ seq: 1, updates: [update('likes', 1, T0, 'live-fnl'), update('hearts', 1, T0 + 1, 'club')] });
    log.filter = 'Night';
    expect(log.visible.map((entry) => entry.groupID)).toEqual(['live-fnl']);
    log.filter = 'fan';
    expect(log.visible.map((entry) => entry.groupID)).toEqual(['club']);
    log.filter = 'live-';
    expect(log.visible.map((entry) => entry.groupID)).toEqual(['live-fnl']);
  });

  it('shows the stored rows in the event log as soon as they are filled', async () => {
    api.getRecentUpdates.mockResolvedValue([update('likes', 3, T0 - 1_000), update('gifts', 1, T0 - 2_000)]);
    const pinia = freshPinia();
    wrapper = mountWithApp(EventLog, { pinia });
    expect(wrapper.get('.empty-state').text()).toBe('No updates yet.');
    await useEventLogStore().fill();
    await flushPromises();
    await nextTick();
    expect(wrapper.findAll('tr.entry .key').map((key) => key.text())).toEqual(['likes', 'gifts']);
  });
});
