// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { Broadcast } from '../../shared/types';
import BroadcastControls from '../../renderer/src/components/BroadcastControls.vue';
import { useBroadcastStore } from '../../renderer/src/stores/broadcast';
import { broadcastOn, deferred, installFakeCountdeck, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';
import type { LocaleCode } from '../../renderer/src/i18n';

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

async function mountControls(locale: LocaleCode = 'en') {
  const pinia = freshPinia();
  await useBroadcastStore().start();
  wrapper = mountWithApp(BroadcastControls, { pinia, locale });
  return wrapper;
}

const button = (root: VueWrapper, text: string) => root.findAll('button').find((found) => found.text() === text);

/** Opens the dialog from the keyboard-focused start button, as an operator would. */
async function openDialog(root: VueWrapper) {
  const start = root.get('button');
  (start.element as HTMLElement).focus();
  await start.trigger('click');
  return { start, dialog: root.get('dialog') };
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

describe('broadcast controls', () => {
  it('offers to start a broadcast while none is on', async () => {
    const root = await mountControls();
    expect(root.findAll('button').map((found) => found.text())).toEqual(['Start broadcast…']);
    expect(root.find('.on-air').exists()).toBe(false);
  });

  it('checks the name as it is typed, in the operator\'s language, and sends nothing while it is wrong', async () => {
    const root = await mountControls();
    const { dialog } = await openDialog(root);
    const input = dialog.get('input');
    expect(document.activeElement).toBe(input.element);
    const submit = dialog.get('button[type="submit"]');
    expect(submit.attributes('disabled')).toBeUndefined();

    await input.setValue('x'.repeat(81));
    expect(dialog.get('[role="alert"]').text()).toBe('A broadcast’s name is at most 80 characters; this one has 81.');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(submit.attributes('disabled')).toBeDefined();
    await dialog.get('form').trigger('submit');
    expect(api.startBroadcast).not.toHaveBeenCalled();

    await input.setValue('x'.repeat(80));
    expect(dialog.find('[role="alert"]').exists()).toBe(false);
  });

  it('says the name is too long in Chinese too', async () => {
    const root = await mountControls('zh-CN');
    const { dialog } = await openDialog(root);
    await dialog.get('input').setValue('长'.repeat(81));
    expect(dialog.get('[role="alert"]').text()).toBe('直播名称最多 80 个字符；当前为 81 个。');
  });

  it('starts a named broadcast, then shows its name, since when, and ends it', async () => {
    const root = await mountControls();
    const { dialog } = await openDialog(root);
    await dialog.get('input').setValue('  Friday Night Live ');
    await dialog.get('form').trigger('submit');
    await flushPromises();

    expect(api.startBroadcast).toHaveBeenCalledExactlyOnceWith({ name: 'Friday Night Live' });
    expect(root.find('dialog').exists()).toBe(false);
    expect(root.get('.on-air .name').text()).toBe('Friday Night Live');
    expect(root.get('.on-air .since').text()).toMatch(/^since \d\d:\d\d$/);
    const end = button(root, 'End broadcast')!;
    // The button that opened the dialog is gone: focus lands on the one that ends it.
    expect(document.activeElement).toBe(end.element);

    await end.trigger('click');
    await flushPromises();
    expect(api.endBroadcast).toHaveBeenCalledTimes(1);
    expect(root.find('.on-air').exists()).toBe(false);
    expect(document.activeElement).toBe(button(root, 'Start broadcast…')!.element);
  });

  it('calls a broadcast without a name "Broadcast", and shows one started elsewhere or before a restart', async () => {
    const root = await mountControls();
    api.emit('onBroadcast', broadcastOn({ name: '', startedAt: T0 - 60_000 }));
    await flushPromises();
    expect(root.get('.on-air .name').text()).toBe('Broadcast');
    api.emit('onBroadcast', null);
    await flushPromises();
    expect(button(root, 'Start broadcast…')).toBeDefined();
  });

  it('closes on Escape without starting anything, and gives focus back to the button that opened it', async () => {
    const root = await mountControls();
    const { start, dialog } = await openDialog(root);
    await dialog.get('input').setValue('Finals');
    await dialog.trigger('cancel');
    await flushPromises();
    expect(root.find('dialog').exists()).toBe(false);
    expect(api.startBroadcast).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(start.element);
  });

  it('keeps the dialog open with the reason when the core refuses, and says when ending fails', async () => {
    const root = await mountControls();
    const call = deferred<Broadcast>();
    api.startBroadcast.mockReturnValueOnce(call.promise);
    const { dialog } = await openDialog(root);
    await dialog.get('form').trigger('submit');
    expect(dialog.get('button[type="submit"]').text()).toBe('Starting…');
    call.reject({ code: ErrorCode.STORAGE_FULL, message: 'disk full' });
    await flushPromises();
    expect(root.get('dialog [role="alert"]').text()).toContain("The disk that holds Countdeck's data is full");
    expect(root.get('dialog [role="alert"]').text()).toContain('code 9031');

    await root.get('dialog').trigger('cancel');
    api.emit('onBroadcast', broadcastOn());
    await flushPromises();
    api.endBroadcast.mockRejectedValueOnce({ code: ErrorCode.STORAGE_READ_ONLY, message: 'read-only' });
    await button(root, 'End broadcast')!.trigger('click');
    await flushPromises();
    expect(root.get('.failure').text()).toContain('Could not end the broadcast:');
    expect(root.find('.on-air').exists()).toBe(true);
  });
});
