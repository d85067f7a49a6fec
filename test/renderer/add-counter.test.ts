// @vitest-environment happy-dom
import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { WriteReply } from '../../shared/types';
import AddCounterForm from '../../renderer/src/components/AddCounterForm.vue';
import BulkSetDialog from '../../renderer/src/components/BulkSetDialog.vue';
import CounterPanel from '../../renderer/src/components/CounterPanel.vue';
import { useCountersStore } from '../../renderer/src/stores/counters';
import { deferred, groupSummary, installFakeCountdeck, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

const ROOM = 'live-room';
const TWENTY = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i + 1}`, String(i * 10)]));

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

/** Loads the room with `counters` through the real store and mounts its CounterPanel. */
async function mountPanel(counters: Record<string, string>) {
  api.getCounters.mockResolvedValue({ groupID: ROOM, counters, source: 'service', updatedAt: {} });
  const pinia = freshPinia();
  await useCountersStore().load(ROOM);
  wrapper = mountWithApp(CounterPanel, { pinia, props: { group: groupSummary(ROOM, 'Arena finals', 'AVChatRoom', 5) } });
  return wrapper;
}

/** Anything to search in: a mounted component or an element found in it. */
type Searchable = { findAll(selector: string): DOMWrapper<Element>[] };

const alerts = (root: Searchable) => root.findAll('[role="alert"]').map((alert) => alert.text());
const isDisabled = (button: Pick<DOMWrapper<Element>, 'element'>) => (button.element as HTMLButtonElement).disabled;

beforeEach(() => {
  api = installFakeCountdeck();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('AddCounterForm', () => {
  function form(root: VueWrapper) {
    const add = root.get('form.add-counter');
    return { add, key: add.get('input[name="new-key"]'), value: add.get('input[name="new-value"]'), button: add.get('button[type="submit"]') };
  }

  it('keeps Add disabled until a key is typed, and says nothing about the empty field', async () => {
    const { button } = form(await mountPanel({ likes: '1' }));
    expect(isDisabled(button)).toBe(true);
    expect(alerts(wrapper!)).toEqual([]);
  });

  it('refuses a 129-character ASCII key with the byte message and a disabled Add button', async () => {
    const { add, key, button } = form(await mountPanel({ likes: '1' }));
    await key.setValue('k'.repeat(129));
    expect(alerts(add)).toEqual(['A key is at most 128 bytes of UTF-8; this one has 129 (a Chinese character takes 3).']);
    expect(key.attributes('aria-invalid')).toBe('true');
    expect(isDisabled(button)).toBe(true);
    await add.trigger('submit');
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();

    await key.setValue('k'.repeat(128));
    expect(alerts(add)).toEqual([]);
    expect(isDisabled(button)).toBe(false);
  });

  it('counts bytes, not characters: 43 Chinese characters (129 bytes) are refused, 42 are fine', async () => {
    const { add, key, button } = form(await mountPanel({ likes: '1' }));
    await key.setValue('赞'.repeat(43));
    expect(alerts(add)).toEqual(['A key is at most 128 bytes of UTF-8; this one has 129 (a Chinese character takes 3).']);
    expect(isDisabled(button)).toBe(true);
    await add.trigger('submit');
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();

    await key.setValue('赞'.repeat(42));
    expect(alerts(add)).toEqual([]);
    expect(isDisabled(button)).toBe(false);
  });

  it('refuses a 21st key on a group holding 20, but lets an existing key be set', async () => {
    const root = await mountPanel(TWENTY);
    const { add, key, button } = form(root);
    expect(root.text()).toContain('20 of 20 counters');
    expect(add.text()).toContain('This group already holds 20 counters, the most a group can.');

    await key.setValue('shares');
    expect(alerts(add)).toEqual(['A group holds at most 20 counters; this would make 21.']);
    expect(isDisabled(button)).toBe(true);
    await add.trigger('submit');
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();

    await key.setValue('k7');
    expect(alerts(add)).toEqual([]);
    expect(isDisabled(button)).toBe(false);
  });

  it('adds a valid key and value with one setCounters call, then clears the form', async () => {
    const { add, key, value, button } = form(await mountPanel({ likes: '1' }));
    expect((value.element as HTMLInputElement).value).toBe('0');
    await key.setValue('分享');
    await value.setValue('1,500');
    expect(isDisabled(button)).toBe(false);
    await add.trigger('submit');
    await flushPromises();

    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { 分享: '1500' } });
    expect((key.element as HTMLInputElement).value).toBe('');
    expect((value.element as HTMLInputElement).value).toBe('0');
  });

  it('refuses a fractional start value without sending', async () => {
    const { add, key, value, button } = form(await mountPanel({ likes: '1' }));
    await key.setValue('shares');
    await value.setValue('2.5');
    expect(alerts(add)).toEqual(['A value is a whole number; “2.5” has a fraction.']);
    expect(isDisabled(button)).toBe(true);
    await add.trigger('submit');
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('shows the code and message when the service refuses, and keeps what was typed', async () => {
    api.setCounters.mockRejectedValueOnce({ code: ErrorCode.NO_USE, message: 'feature not enabled' });
    const { add, key } = form(await mountPanel({ likes: '1' }));
    await key.setValue('shares');
    await add.trigger('submit');
    await flushPromises();

    expect(alerts(add)).toEqual(['code 3122 · Group counters need the Ultimate edition of Tencent Cloud Chat: upgrade the application in the console.']);
    expect((key.element as HTMLInputElement).value).toBe('shares');
    await key.setValue('shares2');
    expect(alerts(add)).toEqual([]);
  });

  it('works on its own with the keys it is given', async () => {
    const pinia = freshPinia();
    wrapper = mountWithApp(AddCounterForm, { pinia, props: { groupID: ROOM, keys: Object.keys(TWENTY) } });
    await wrapper.get('input[name="new-key"]').setValue('k21');
    expect(alerts(wrapper)).toEqual(['A group holds at most 20 counters; this would make 21.']);
  });
});

describe('BulkSetDialog', () => {
  async function openBulk(counters: Record<string, string>) {
    const root = await mountPanel(counters);
    const open = root.findAll('button').find((button) => button.text() === 'Set several…')!;
    expect(isDisabled(open)).toBe(false);
    await open.trigger('click');
    const dialog = root.get('dialog.bulk');
    return {
      root,
      dialog,
      valueInput: (key: string) => dialog.get(`input[aria-label="New value for ${key}"]`),
      submit: dialog.get('button[type="submit"]'),
    };
  }

  it('opens as a modal listing every counter with its current value and empty fields', async () => {
    const { dialog, submit } = await openBulk({ likes: '1200', viewers: '87' });
    expect((dialog.element as HTMLDialogElement).open).toBe(true);
    expect(dialog.findAll('tbody tr').map((row) => row.text())).toEqual(['likes1,200', 'viewers87']);
    expect(dialog.text()).toContain('Enter at least one new value.');
    expect(isDisabled(submit)).toBe(true);
  });

  it('sends only the filled lines, in ONE setCounters call, and closes', async () => {
    const { root, dialog, valueInput, submit } = await openBulk({ likes: '1200', viewers: '87', gifts: '3' });
    await valueInput('likes').setValue('2,000');
    await valueInput('gifts').setValue('0');
    expect(submit.text()).toBe('Set 2 counters');
    expect(isDisabled(submit)).toBe(false);

    await dialog.get('form').trigger('submit');
    await flushPromises();

    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { likes: '2000', gifts: '0' } });
    expect(root.find('dialog.bulk').exists()).toBe(false);
  });

  it('adds a new key in the same call', async () => {
    const { dialog, valueInput, submit } = await openBulk({ likes: '1200' });
    await valueInput('likes').setValue('1');
    const addLine = dialog.findAll('button').find((button) => button.text().includes('Add a key'))!;
    await addLine.trigger('click');
    await dialog.get('input[aria-label="New key"]').setValue('shares');
    await valueInput('shares').setValue('42');
    expect(submit.text()).toBe('Set 2 counters');

    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { likes: '1', shares: '42' } });
  });

  it('blocks submit while any line is invalid, and says why on that line', async () => {
    const { dialog, valueInput, submit } = await openBulk({ likes: '1200', viewers: '87' });
    await valueInput('likes').setValue('10');
    await valueInput('viewers').setValue('1.5');

    expect(alerts(dialog)).toEqual(['A value is a whole number; “1.5” has a fraction.']);
    expect(valueInput('viewers').attributes('aria-invalid')).toBe('true');
    expect(isDisabled(submit)).toBe(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();

    await valueInput('viewers').setValue('9223372036854775808');
    expect(alerts(dialog)).toEqual(['Outside the signed 64-bit range, -9223372036854775808 to 9223372036854775807.']);
    expect(isDisabled(submit)).toBe(true);

    await valueInput('viewers').setValue('');
    expect(alerts(dialog)).toEqual([]);
    expect(isDisabled(submit)).toBe(false);
  });

  it('blocks a new key that is too long', async () => {
    const { dialog, valueInput, submit } = await openBulk({ likes: '1' });
    await dialog.findAll('button').find((button) => button.text().includes('Add a key'))!.trigger('click');
    await dialog.get('input[aria-label="New key"]').setValue('赞'.repeat(43));
    await valueInput('赞'.repeat(43)).setValue('1');
    expect(alerts(dialog)).toEqual(['A key is at most 128 bytes of UTF-8; this one has 129 (a Chinese character takes 3).']);
    expect(isDisabled(submit)).toBe(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('blocks a new key beyond the 20 a group holds', async () => {
    const { dialog, valueInput, submit } = await openBulk(TWENTY);
    await dialog.findAll('button').find((button) => button.text().includes('Add a key'))!.trigger('click');
    await dialog.get('input[aria-label="New key"]').setValue('k21');
    await valueInput('k21').setValue('5');
    expect(alerts(dialog)).toEqual(['A group holds at most 20 counters; this would make 21.']);
    expect(isDisabled(submit)).toBe(true);
  });

  it('does not silently drop a new line that has a value but no key', async () => {
    const { dialog, valueInput, submit } = await openBulk({ likes: '1200' });
    await valueInput('likes').setValue('1');
    await dialog.findAll('button').find((button) => button.text().includes('Add a key'))!.trigger('click');
    await valueInput('New key').setValue('500');
    expect(alerts(dialog)).toEqual(['Enter a key.']);
    expect(isDisabled(submit)).toBe(true);
  });

  it('stays open with the code and message when the service refuses', async () => {
    const call = deferred<WriteReply>();
    api.setCounters.mockReturnValueOnce(call.promise);
    const { root, dialog, valueInput, submit } = await openBulk({ likes: '1200' });
    await valueInput('likes').setValue('7');
    await dialog.get('form').trigger('submit');
    expect(isDisabled(submit)).toBe(true); // sending
    call.reject({ code: ErrorCode.OVER_FREQUENCY_LIMIT, message: 'over limit' });
    await flushPromises();

    expect(root.find('dialog.bulk').exists()).toBe(true);
    expect(alerts(dialog)).toEqual(['code 2996 · Too many calls in 5 seconds; Countdeck retries on its own.']);
    expect(isDisabled(submit)).toBe(false);
  });

  it('Cancel closes without sending', async () => {
    const { root, dialog, valueInput } = await openBulk({ likes: '1200' });
    await valueInput('likes').setValue('7');
    await dialog.findAll('button').find((button) => button.text() === 'Cancel')!.trigger('click');
    expect(root.find('dialog.bulk').exists()).toBe(false);
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('can be mounted on its own and emits close after a successful set', async () => {
    const pinia = freshPinia();
    wrapper = mountWithApp(BulkSetDialog, {
      pinia,
      props: { groupID: ROOM, rows: [{ key: 'likes', value: '1', updatedAt: null, inexact: false }] },
    });
    await wrapper.get('input[aria-label="New value for likes"]').setValue('2');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { likes: '2' } });
    expect(wrapper.emitted('close')).toHaveLength(1);
  });
});
