// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { ErrorCode } from '../../shared/errors';
import type { WriteReply } from '../../shared/types';
import CounterRow from '../../renderer/src/components/CounterRow.vue';
import CounterPanel from '../../renderer/src/components/CounterPanel.vue';
import { useBroadcastStore } from '../../renderer/src/stores/broadcast';
import { useCountersStore } from '../../renderer/src/stores/counters';
import { usePendingChangesStore } from '../../renderer/src/stores/pending-changes';
import { broadcastOn, deferred, groupSummary, installFakeCountdeck, pendingChange, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

const ROOM = 'live-room';

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

/** Loads the room through the real store and mounts one CounterRow for `key` inside a table. */
async function mountRow(key = 'likes', counters: Record<string, string> = { likes: '1200', viewers: '87' }) {
  api.getCounters.mockResolvedValue({ groupID: ROOM, counters, source: 'service', updatedAt: {} });
  const pinia = freshPinia();
  const store = useCountersStore();
  await Promise.all([store.load(ROOM), useBroadcastStore().start(), usePendingChangesStore().start()]);
  const Host = defineComponent({
    setup: () => () => h('table', [h('tbody', [h(CounterRow, { groupID: ROOM, row: store.groups.get(ROOM)!.rows.get(key)! })])]),
  });
  wrapper = mountWithApp(Host, { pinia });
  return { wrapper, store, row: wrapper.get('tr.counter-row') };
}

const alerts = (root: VueWrapper) => root.findAll('[role="alert"]').map((alert) => alert.text());

beforeEach(() => {
  api = installFakeCountdeck();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('showing a counter', () => {
  it('shows the key, the grouped value, the change since start and no update time yet', async () => {
    const { row, store } = await mountRow();
    expect(row.get('th').text()).toBe('likes');
    expect(row.get('.value-button').text()).toBe('1,200');
    // No broadcast on: "since start" means nothing yet, and the cell says how to start counting.
    expect(row.get('.change').text()).toBe('—');
    expect(row.get('.change').attributes('title')).toBe('No broadcast is on: start a broadcast to count from now.');
    expect(row.get('.updated').text()).toBe('—');

    api.emit('onBroadcast', broadcastOn({ baselines: [{ groupID: ROOM, key: 'likes', value: '1200' }] }));
    await flushPromises();
    expect(row.get('.change').text()).toBe('0');
    expect(row.get('.change').attributes('title')).toBeUndefined();

    store.applyBatch({ seq: 1, updates: [{ groupID: ROOM, key: 'likes', value: '1150', previous: '1200', at: T0 }] });
    await flushPromises();
    expect(row.get('.value-button').text()).toBe('1,150');
    expect(row.get('.change').text()).toBe('−50');
    expect(row.get('.change').classes()).toContain('down');
    expect(row.get('.updated').text()).not.toBe('—');
  });

  it('flags values a chart cannot carry exactly', async () => {
    const { row } = await mountRow('big', { big: '9223372036854775807' });
    expect(row.get('.value-button').text()).toContain('9,223,372,036,854,775,807');
    expect(row.find('.inexact').exists()).toBe(true);
  });
});

/** An IntersectionObserver the test drives: `report` tells every observer whether its elements are in view. */
function fakeIntersections() {
  const observers: { callback: IntersectionObserverCallback; targets: Element[] }[] = [];
  class FakeIntersectionObserver {
    private readonly entry: { callback: IntersectionObserverCallback; targets: Element[] };
    constructor(callback: IntersectionObserverCallback) {
      this.entry = { callback, targets: [] };
      observers.push(this.entry);
    }
    observe(target: Element): void {
      this.entry.targets.push(target);
    }
    unobserve(): void {}
    disconnect(): void {
      this.entry.targets = [];
    }
  }
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  return {
    report(isIntersecting: boolean): void {
      for (const { callback, targets } of observers) {
        const entries = targets.map((target) => ({ target, isIntersecting, time: performance.now() }) as unknown as IntersectionObserverEntry);
        if (entries.length > 0) callback(entries, {} as IntersectionObserver);
      }
    },
  };
}

describe('a row out of view', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps what it showed while out of view, and shows the latest values as it comes back', async () => {
    const view = fakeIntersections();
    api.getBroadcast.mockResolvedValue(broadcastOn({ baselines: [{ groupID: ROOM, key: 'likes', value: '1200' }] }));
    const { row, store } = await mountRow();
    view.report(false);
    store.applyBatch({ seq: 1, updates: [{ groupID: ROOM, key: 'likes', value: '1300', previous: '1200', at: T0 }] });
    await flushPromises();
    expect(row.get('.value-button').text()).toBe('1,200');
    expect(row.get('.change').text()).toBe('0');
    expect(row.get('.updated').text()).toBe('—');

    view.report(true);
    await flushPromises();
    expect(row.get('.value-button').text()).toBe('1,300');
    expect(row.get('.change').text()).toBe('+100');
    expect(row.get('.updated').text()).not.toBe('—');
  });

  it('edits the current value, not the one it showed last', async () => {
    const view = fakeIntersections();
    const { row, store } = await mountRow();
    view.report(false);
    store.applyBatch({ seq: 1, updates: [{ groupID: ROOM, key: 'likes', value: '1300', previous: '1200', at: T0 }] });
    await row.get('.value-button').trigger('click');
    expect((row.get('input.value-input').element as HTMLInputElement).value).toBe('1300');
  });
});

describe('changes the core has not had confirmed', () => {
  it('marks a change resumed from the last run, with the change in its tooltip', async () => {
    api.getPendingChanges.mockResolvedValue([pendingChange({ key: 'likes', change: '+5', state: 'queued', resumed: true })]);
    const { row } = await mountRow();
    const marker = row.get('.resumed-badge');
    expect(marker.text()).toContain('Resumed from the last run');
    expect(marker.attributes('title')).toBe('Accepted before Countdeck last closed, and sent now: +5');
    // The row is pending though this page sent nothing, and says what the change waits for.
    expect(row.classes()).toContain('pending');
    expect(row.get('.pending-badge').text()).toBe('Waiting for a slot…');
  });

  it('shows the pending state of changes this page did not send (after a reload), until the core confirms them', async () => {
    const { row, wrapper } = await mountRow();
    expect(row.find('.pending-badge').exists()).toBe(false);
    api.emit('onPendingChanges', [pendingChange({ key: 'likes', change: '= 100', state: 'checking' }), pendingChange({ intentID: 2, key: 'viewers' })]);
    await flushPromises();
    expect(row.get('.pending-badge').text()).toBe('Checking the outcome…');
    expect(row.find('.resumed-badge').exists()).toBe(false);
    api.emit('onPendingChanges', [pendingChange({ intentID: 2, key: 'viewers' })]);
    await flushPromises();
    expect(wrapper.find('.pending-badge').exists()).toBe(false);
  });

  it('lists every resumed change of the row in the tooltip', async () => {
    api.getPendingChanges.mockResolvedValue([
      pendingChange({ key: 'likes', change: '+5', resumed: true }),
      pendingChange({ intentID: 2, key: 'likes', change: '−3', resumed: true, state: 'sending' }),
    ]);
    const { row } = await mountRow();
    expect(row.get('.resumed-badge').attributes('title')).toBe('Accepted before Countdeck last closed, and sent now: +5, −3');
  });
});

describe('editing the value in place', () => {
  it('opens an input holding the current value when the value is clicked', async () => {
    const { row } = await mountRow();
    expect(row.find('input.value-input').exists()).toBe(false);
    await row.get('.value-button').trigger('click');
    const input = row.get<HTMLInputElement>('input.value-input');
    expect(input.element.value).toBe('1200');
    expect(input.attributes('aria-label')).toBe('New value for likes');
    expect(row.text()).toContain('Enter to save, Escape to cancel');
  });

  it('saves "1,234" on Enter as one setCounters call with the plain digits', async () => {
    const { row } = await mountRow();
    await row.get('.value-button').trigger('click');
    const input = row.get('input.value-input');
    await input.setValue('1,234');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();

    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { likes: '1234' } });
    expect(row.find('input.value-input').exists()).toBe(false);
  });

  it('cancels on Escape and sends nothing', async () => {
    const { row } = await mountRow();
    await row.get('.value-button').trigger('click');
    await row.get('input.value-input').setValue('5000');
    await row.get('input.value-input').trigger('keydown', { key: 'Escape' });
    await flushPromises();

    expect(row.find('input.value-input').exists()).toBe(false);
    expect(row.get('.value-button').text()).toBe('1,200');
    expect(api.setCounters).not.toHaveBeenCalled();
    // Focus goes back to the row, so the keyboard user can carry on.
    expect(document.activeElement).toBe(row.element);
  });

  it('sends nothing when Enter keeps the value as it was', async () => {
    const { row } = await mountRow();
    await row.get('.value-button').trigger('click');
    await row.get('input.value-input').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('says a fraction is not allowed, and Enter sends nothing and keeps the editor open', async () => {
    const { row } = await mountRow();
    await row.get('.value-button').trigger('click');
    const input = row.get('input.value-input');
    await input.setValue('1.5');

    expect(row.get('.field-error').text()).toBe('A value is a whole number; “1.5” has a fraction.');
    expect(input.attributes('aria-invalid')).toBe('true');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();
    expect(row.find('input.value-input').exists()).toBe(true);
  });

  it('says 2^63 is out of range, and Enter sends nothing', async () => {
    const { row } = await mountRow();
    await row.get('.value-button').trigger('click');
    const input = row.get('input.value-input');
    await input.setValue('9223372036854775808');

    expect(row.get('.field-error').text()).toBe('Outside the signed 64-bit range, -9223372036854775808 to 9223372036854775807.');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.setCounters).not.toHaveBeenCalled();
  });

  it('accepts the int64 extremes exactly', async () => {
    const { row } = await mountRow();
    await row.get('.value-button').trigger('click');
    await row.get('input.value-input').setValue('-9223372036854775808');
    expect(row.find('.field-error').exists()).toBe(false);
    await row.get('input.value-input').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { likes: '-9223372036854775808' } });
  });
});

describe('adjusting by a step', () => {
  it('sends increaseCounter for + and decreaseCounter for − with the step', async () => {
    const { row } = await mountRow();
    await row.get('input.step-input').setValue('25');
    await row.get('button[aria-label="Increase likes by 25"]').trigger('click');
    await flushPromises();
    expect(api.increaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '25' });

    await row.get('input.step-input').setValue('1,000');
    await row.get('button[aria-label="Decrease likes by 1,000"]').trigger('click');
    await flushPromises();
    expect(api.decreaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '1000' });
    expect(api.increaseCounter).toHaveBeenCalledTimes(1);
  });

  it('starts with a step of 1', async () => {
    const { row } = await mountRow();
    expect(row.get<HTMLInputElement>('input.step-input').element.value).toBe('1');
    await row.get('button[aria-label="Increase likes by 1"]').trigger('click');
    expect(api.increaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '1' });
  });

  it.each([
    ['0', 'A step is at least 1; − and + give the direction.'],
    ['-3', 'A step is at least 1; − and + give the direction.'],
    ['1.5', 'A step is a whole number; “1.5” has a fraction.'],
    ['', 'Enter a step.'],
  ])('disables both buttons for the step %j and says why', async (step, message) => {
    const { row } = await mountRow();
    await row.get('input.step-input').setValue(step);
    const buttons = row.findAll('button.step-button');
    expect(buttons).toHaveLength(2);
    for (const button of buttons) expect(button.attributes('disabled')).toBeDefined();
    expect(row.get('.step-error').text()).toBe(message);
    expect(row.get('input.step-input').attributes('aria-invalid')).toBe('true');

    for (const button of buttons) await button.trigger('click');
    await row.trigger('keydown', { key: '+' });
    await row.trigger('keydown', { key: '-' });
    await flushPromises();
    expect(api.increaseCounter).not.toHaveBeenCalled();
    expect(api.decreaseCounter).not.toHaveBeenCalled();
  });

  it('shows a pending badge while the call is open', async () => {
    const call = deferred<WriteReply>();
    api.increaseCounter.mockReturnValueOnce(call.promise);
    const { row } = await mountRow();
    expect(row.find('.pending-badge').exists()).toBe(false);

    await row.get('button[aria-label="Increase likes by 1"]').trigger('click');
    expect(row.get('.pending-badge').text()).toBe('Sending…');
    expect(row.classes()).toContain('pending');

    call.resolve({ groupID: ROOM, counters: { likes: '1201' } });
    await flushPromises();
    expect(row.find('.pending-badge').exists()).toBe(false);
    expect(row.classes()).not.toContain('pending');
  });

  it('shows the code and message of a refused call, and dismiss clears it', async () => {
    const call = deferred<WriteReply>();
    api.decreaseCounter.mockReturnValueOnce(call.promise);
    const { row } = await mountRow();
    await row.get('button[aria-label="Decrease likes by 1"]').trigger('click');
    call.reject({ code: ErrorCode.NO_PERMISSION, message: 'not a member (core text)' });
    await flushPromises();

    const error = row.get('.row-error');
    expect(error.get('.code').text()).toBe('code 10007');
    expect(error.text()).toContain('You are not a member of this group, or it is invitation-only.');
    expect(row.find('.pending-badge').exists()).toBe(false);

    await error.get('button[aria-label="Dismiss"]').trigger('click');
    expect(row.find('.row-error').exists()).toBe(false);
  });

  it("falls back to the core's message for a code without a translation", async () => {
    api.increaseCounter.mockRejectedValueOnce({ code: 80001, message: 'The content was refused.' });
    const { row } = await mountRow();
    await row.get('button[aria-label="Increase likes by 1"]').trigger('click');
    await flushPromises();
    expect(row.get('.row-error .code').text()).toBe('code 80001');
    expect(row.get('.row-error').text()).toContain('The content was refused.');
  });
});

describe('keyboard', () => {
  it('Enter on the focused row starts editing', async () => {
    const { row } = await mountRow();
    (row.element as HTMLElement).focus();
    await row.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(row.get<HTMLInputElement>('input.value-input').element.value).toBe('1200');
  });

  it('+ and − on the row adjust by the step; keys typed in the inputs do not', async () => {
    const { row } = await mountRow();
    await row.get('input.step-input').setValue('3');
    await row.trigger('keydown', { key: '+' });
    expect(api.increaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '3' });
    await row.trigger('keydown', { key: '-' });
    expect(api.decreaseCounter).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, key: 'likes', value: '3' });

    await row.get('input.step-input').trigger('keydown', { key: '+' });
    await row.get('input.step-input').trigger('keydown', { key: 'Enter' });
    expect(api.increaseCounter).toHaveBeenCalledTimes(1);
    expect(row.find('input.value-input').exists()).toBe(false);
  });
});

describe('in the counter panel', () => {
  it('lists the loaded rows and edits the right one', async () => {
    api.getCounters.mockResolvedValue({ groupID: ROOM, counters: { likes: '1200', viewers: '87' }, source: 'service', updatedAt: {} });
    const pinia = freshPinia();
    await useCountersStore().load(ROOM);
    wrapper = mountWithApp(CounterPanel, { pinia, props: { group: groupSummary(ROOM, 'Arena finals', 'AVChatRoom', 5) } });

    const rows = wrapper.findAll('tr.counter-row');
    expect(rows.map((row) => row.attributes('data-key'))).toEqual(['likes', 'viewers']);
    expect(wrapper.text()).toContain('2 of 20 counters');

    await rows[1]!.get('.value-button').trigger('click');
    await rows[1]!.get('input.value-input').setValue('90');
    await rows[1]!.get('input.value-input').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.setCounters).toHaveBeenCalledExactlyOnceWith({ groupID: ROOM, counters: { viewers: '90' } });
    expect(alerts(wrapper)).toEqual([]);
  });

  it('adds a row for a key created by a live update, counted since start from the baseline the core gives it', async () => {
    api.getCounters.mockResolvedValue({ groupID: ROOM, counters: { likes: '1200' }, source: 'service', updatedAt: {} });
    const pinia = freshPinia();
    const store = useCountersStore();
    await store.load(ROOM);
    wrapper = mountWithApp(CounterPanel, { pinia, props: { group: groupSummary(ROOM, 'Arena finals', 'AVChatRoom', 5) } });

    store.applyBatch({ seq: 1, updates: [{ groupID: ROOM, key: 'gifts', value: '7', previous: null, at: T0 }] });
    await flushPromises();
    const gifts = wrapper.get('tr[data-key="gifts"]');
    expect(gifts.get('.value-button').text()).toBe('7');
    expect(gifts.get('.change').text()).toBe('—');
    expect(wrapper.text()).toContain('2 of 20 counters');

    // The broadcast on lists the key from when it was first seen (created at 0 during it).
    await useBroadcastStore().start();
    api.emit('onBroadcast', broadcastOn({ baselines: [{ groupID: ROOM, key: 'likes', value: '1200' }, { groupID: ROOM, key: 'gifts', value: '0' }] }));
    await flushPromises();
    expect(wrapper.findAll('td.change').map((cell) => cell.text())).toEqual(['0', '+7']);
  });

  it('says why the counters could not be loaded, in the operator\'s language', async () => {
    api.getCounters.mockRejectedValue({ code: ErrorCode.GROUP_NOT_FOUND, message: 'group gone' });
    const pinia = freshPinia();
    await useCountersStore().load(ROOM);
    wrapper = mountWithApp(CounterPanel, { pinia, props: { group: groupSummary(ROOM, 'Arena finals', 'AVChatRoom', 5) } });
    expect(wrapper.find('table.counters').exists()).toBe(false);
    expect(wrapper.get('.field-error').text()).toBe('Could not load the counters. No such group, or it was dismissed.');
    expect(wrapper.find('form.add-counter').exists()).toBe(false);
  });

  it('moves focus between rows with the arrow keys', async () => {
    api.getCounters.mockResolvedValue({ groupID: ROOM, counters: { a: '1', b: '2', c: '3' }, source: 'service', updatedAt: {} });
    const pinia = freshPinia();
    await useCountersStore().load(ROOM);
    wrapper = mountWithApp(CounterPanel, { pinia, props: { group: groupSummary(ROOM, 'Arena finals', 'AVChatRoom', 5) } });
    const rows = wrapper.findAll('tr.counter-row');
    (rows[0]!.element as HTMLElement).focus();
    await rows[0]!.trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1]!.element);
    await rows[1]!.trigger('keydown', { key: 'ArrowDown' });
    await rows[2]!.trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[2]!.element);
    await rows[2]!.trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows[1]!.element);
  });
});
