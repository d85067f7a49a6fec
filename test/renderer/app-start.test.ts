// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, expect, it } from 'vitest';
import App from '../../renderer/src/App.vue';
import { useBroadcastStore } from '../../renderer/src/stores/broadcast';
import { useEventLogStore } from '../../renderer/src/stores/event-log';
import { usePendingChangesStore } from '../../renderer/src/stores/pending-changes';
import { seriesID, useSeriesStore } from '../../renderer/src/stores/series';
import { useStorageStore } from '../../renderer/src/stores/storage';
import { broadcastOn, groupSummary, installFakeCountdeck, pendingChange, sessionSnapshot, storageInfo, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  api = installFakeCountdeck();
  api.listGroups.mockResolvedValue([groupSummary('room', 'Arena finals', 'AVChatRoom')]);
  api.getCounters.mockResolvedValue({ groupID: 'room', counters: { likes: '10' }, source: 'service', updatedAt: { likes: T0 - 5_000 } });
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

/** The app with the chart stubbed: chart.js needs a real canvas. */
async function mountApp() {
  const pinia = freshPinia();
  wrapper = mountWithApp(App, { pinia, global: { stubs: { LiveChart: true } } });
  await flushPromises();
  return wrapper;
}

it('starts from what the core kept: the stored updates, the broadcast, the pending changes, the storage and the history', async () => {
  api.getRecentUpdates.mockResolvedValue([{ groupID: 'room', key: 'likes', value: '10', previous: '9', at: T0 - 5_000 }]);
  api.getBroadcast.mockResolvedValue(broadcastOn({ name: 'Finals', baselines: [{ groupID: 'room', key: 'likes', value: '4' }] }));
  api.getPendingChanges.mockResolvedValue([pendingChange({ groupID: 'room', resumed: true })]);
  api.getStorage.mockResolvedValue(storageInfo({ bytes: 99 }));
  const root = await mountApp();

  expect(useEventLogStore().entries.map((entry) => entry.value)).toEqual(['10']);
  expect(useBroadcastStore().current?.name).toBe('Finals');
  expect(usePendingChangesStore().changes).toHaveLength(1);
  expect(useStorageStore().info?.bytes).toBe(99);
  expect(useSeriesStore().plotted).toEqual([seriesID('room', 'likes')]);
  expect(api.getHistory).toHaveBeenCalledWith(expect.objectContaining({ groupID: 'room', keys: ['likes'] }));
  const row = root.get('tr[data-key="likes"]');
  expect(row.get('.change').text()).toBe('+6');
  expect(row.get('.updated').text()).not.toBe('—');
  expect(row.find('.resumed-badge').exists()).toBe(true);
});

it('fills the log, the broadcast and the pending changes afresh after a switch of connection', async () => {
  await mountApp();
  api.getRecentUpdates.mockResolvedValue([{ groupID: 'club', key: 'hearts', value: '2', previous: '1', at: T0 }]);
  api.getBroadcast.mockResolvedValue(broadcastOn({ name: 'Other service' }));
  api.emit('onSession', sessionSnapshot({ connection: 2, since: T0 + 1 }));
  await flushPromises();
  expect(useEventLogStore().entries.map((entry) => entry.key)).toEqual(['hearts']);
  expect(useBroadcastStore().current?.name).toBe('Other service');
  expect(api.getPendingChanges).toHaveBeenCalledTimes(2);
});
