// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { StorageInfo } from '../../shared/types';
import StatusBar from '../../renderer/src/components/StatusBar.vue';
import type { LocaleCode } from '../../renderer/src/i18n';
import { useEventLogStore } from '../../renderer/src/stores/event-log';
import { useSeriesStore } from '../../renderer/src/stores/series';
import { useStorageStore } from '../../renderer/src/stores/storage';
import { deferred, installFakeCountdeck, storageInfo, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

const DAY = 86_400_000;

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

async function mountBar(locale: LocaleCode = 'en') {
  const pinia = freshPinia();
  await useStorageStore().start();
  wrapper = mountWithApp(StatusBar, { pinia, locale });
  return wrapper;
}

const buttonNamed = (root: VueWrapper, text: string) => root.findAll('button').find((found) => found.text() === text)!;

async function openData(root: VueWrapper) {
  const opener = buttonNamed(root, 'Data…');
  (opener.element as HTMLElement).focus();
  await opener.trigger('click');
  return { opener, dialog: root.get('dialog.storage-dialog') };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
  api = installFakeCountdeck();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

describe('storage in the status bar', () => {
  it('shows a "Data…" button and no warning while the data is fine', async () => {
    const root = await mountBar();
    expect(buttonNamed(root, 'Data…').exists()).toBe(true);
    expect(root.find('.storage-status .problem').exists()).toBe(false);
  });

  it('warns with a short label, the whole message on hover, and follows onStorage', async () => {
    api.getStorage.mockResolvedValue(storageInfo({ problem: { code: ErrorCode.STORAGE_FULL, message: 'SQLITE_FULL' } }));
    const root = await mountBar();
    const problem = root.get('.storage-status .problem');
    expect(problem.text()).toBe('!Disk full');
    expect(problem.attributes('title')).toBe("The disk that holds Countdeck's data is full; nothing was changed. Free some space, then try again.");

    api.emit('onStorage', storageInfo({ file: null, problem: { code: ErrorCode.DATABASE_IN_MEMORY, message: 'cannot open' } }));
    await flushPromises();
    expect(root.get('.storage-status .problem').text()).toBe('!Not saved');
    api.emit('onStorage', storageInfo());
    await flushPromises();
    expect(root.find('.storage-status .problem').exists()).toBe(false);
  });

  it('says the problem in Chinese, the full message from the catalogue', async () => {
    api.getStorage.mockResolvedValue(storageInfo({ problem: { code: ErrorCode.STORAGE_READ_ONLY, message: 'SQLITE_READONLY' } }));
    const root = await mountBar('zh-CN');
    const problem = root.get('.storage-status .problem');
    expect(problem.text()).toBe('!数据只读');
    expect(problem.attributes('title')).toBe('Countdeck 的数据文件夹为只读；未做任何更改。请将其设为可写后重试。');
  });

  it('opens from the warning too', async () => {
    api.getStorage.mockResolvedValue(storageInfo({ problem: { code: ErrorCode.STORAGE_FAILED, message: 'disk I/O error' } }));
    const root = await mountBar();
    await root.get('.storage-status .problem').trigger('click');
    expect(root.get('dialog.storage-dialog .problem').text()).toBe("Countdeck could not write its data (a disk error); nothing was changed. Check the disk, then try again.");
  });
});

describe('the Data dialog', () => {
  it('says where the data is, its size, the oldest history and how long each tier keeps it', async () => {
    const root = await mountBar();
    const { dialog } = await openData(root);
    expect(dialog.get('.file').text()).toBe('/home/op/.config/Countdeck/countdeck.db');
    expect(dialog.get('.size').text()).toBe('2.4 MB');
    expect(dialog.text()).toContain('Apr 28, 2025');
    expect(dialog.findAll('.tiers li').map((item) => item.text())).toEqual([
      'Detail of 1 second, for 1 hour',
      'Detail of 10 seconds, for 2 days',
      'Detail of 5 minutes, for 14 days',
      'Detail of 30 minutes, for 365 days',
      'The newest 5,000 updates as they came, for the event log',
    ]);
  });

  it('says when the data is only in memory, and when there is no history yet, in Chinese too', async () => {
    api.getStorage.mockResolvedValue(storageInfo({ file: null, bytes: 512, oldestHistory: null }));
    const root = await mountBar('zh-CN');
    await buttonNamed(root, '数据…').trigger('click');
    const dialog = root.get('dialog.storage-dialog');
    expect(dialog.text()).toContain('本次运行保存在内存中：Countdeck 关闭后不会保留。');
    expect(dialog.get('.size').text()).toBe('512字节');
    expect(dialog.text()).toContain('暂无');
    expect(dialog.get('.tiers li').text()).toBe('精度 1秒钟，保留 1小时');
  });

  it('deletes the history older than the age chosen only after a confirm, showing progress, then the new size', async () => {
    const call = deferred<StorageInfo>();
    api.deleteHistory.mockReturnValueOnce(call.promise);
    const root = await mountBar();
    const log = useEventLogStore();
    log.append({ seq: 1, updates: [{ groupID: 'room', key: 'likes', value: '2', previous: '1', at: T0 - 8 * DAY }, { groupID: 'room', key: 'likes', value: '3', previous: '2', at: T0 - 1 }] });
    const reload = vi.spyOn(useSeriesStore(), 'reloadHistory');
    const { dialog } = await openData(root);

    await dialog.get('select').setValue('week');
    await buttonNamed(root, 'Delete…').trigger('click');
    expect(dialog.get('.confirm').text()).toContain('Delete the history older than 7 days? The counters and broadcasts stay. This cannot be undone.');
    expect(api.deleteHistory).not.toHaveBeenCalled();
    // The keyboard lands on Cancel, the safe choice; it goes back without deleting.
    await flushPromises();
    expect(document.activeElement).toBe(buttonNamed(root, 'Cancel').element);
    await buttonNamed(root, 'Cancel').trigger('click');
    await flushPromises();
    expect(dialog.find('.confirm').exists()).toBe(false);
    expect(document.activeElement).toBe(buttonNamed(root, 'Delete…').element);
    expect(api.deleteHistory).not.toHaveBeenCalled();

    await buttonNamed(root, 'Delete…').trigger('click');
    await buttonNamed(root, 'Delete history').trigger('click');
    expect(api.deleteHistory).toHaveBeenCalledExactlyOnceWith({ before: T0 - 7 * DAY });
    expect(dialog.get('.danger').text()).toBe('Deleting…');
    expect(dialog.get('.danger').attributes('disabled')).toBeDefined();
    expect(dialog.get('[role="status"]').text()).toBe('Deleting…');

    call.resolve(storageInfo({ bytes: 1_234_567 }));
    await flushPromises();
    expect(dialog.get('.deleted').text()).toBe('Deleted. The data now takes 1.2 MB.');
    expect(dialog.get('.size').text()).toBe('1.2 MB');
    // The log and the chart let go of what was deleted.
    expect(log.entries.map((entry) => entry.value)).toEqual(['3']);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('deletes everything up to now, and shows the error with its code when the core refuses', async () => {
    api.deleteHistory.mockRejectedValueOnce({ code: ErrorCode.STORAGE_READ_ONLY, message: 'SQLITE_READONLY' });
    const root = await mountBar();
    const { dialog } = await openData(root);
    await dialog.get('select').setValue('all');
    await buttonNamed(root, 'Delete…').trigger('click');
    expect(dialog.get('.confirm').text()).toContain('Delete all of the stored history?');
    await buttonNamed(root, 'Delete history').trigger('click');
    await flushPromises();
    expect(api.deleteHistory.mock.calls[0]![0].before).toBeGreaterThan(T0);
    expect(dialog.get('.field-error').text()).toContain("Countdeck's data folder is read-only");
    expect(dialog.get('.field-error').text()).toContain('code 9032');
    expect(dialog.find('.deleted').exists()).toBe(false);
  });

  it('closes on Escape, giving focus back to the "Data…" button', async () => {
    const root = await mountBar();
    const { opener, dialog } = await openData(root);
    (dialog.get('select').element as HTMLElement).focus();
    await dialog.trigger('cancel');
    expect(root.find('dialog.storage-dialog').exists()).toBe(false);
    expect(document.activeElement).toBe(opener.element);
  });
});
