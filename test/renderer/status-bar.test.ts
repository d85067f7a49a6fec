// @vitest-environment happy-dom
import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { BudgetWindow, SessionSnapshot } from '../../shared/types';
import BudgetMeter from '../../renderer/src/components/BudgetMeter.vue';
import StatusBar from '../../renderer/src/components/StatusBar.vue';
import { useBudgetStore } from '../../renderer/src/stores/budget';
import { useSessionStore } from '../../renderer/src/stores/session';
import { budgetSnapshot, budgetWindow, installFakeCountdeck, sessionSnapshot, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia, mountWithApp } from './support/mount';

let api: FakeCountdeck;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  api = installFakeCountdeck();
  // Only the clock and the budget ticker are faked: promises and flushPromises stay real.
  vi.useFakeTimers({ now: T0, toFake: ['Date', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

describe('BudgetMeter', () => {
  function meter(budget: Partial<BudgetWindow> | null, now = T0) {
    wrapper = mountWithApp(BudgetMeter, { props: { label: 'Writes', budget: budget === null ? null : budgetWindow(budget), now } });
    return wrapper;
  }
  const detail = (root: VueWrapper) => root.findAll('.detail').map((part) => part.text());

  it('shows how much of the window is used, and that a call may go now', () => {
    const root = meter({ used: 7, left: 13, nextSlotAt: T0 });
    expect(root.get('.name').text()).toBe('Writes');
    expect(root.get('.numbers').text()).toBe('7 of 20 used');
    expect(detail(root)).toEqual(['free now']);
    const bar = root.get('[role="meter"]');
    expect(bar.attributes('aria-valuenow')).toBe('7');
    expect(bar.attributes('aria-valuemax')).toBe('20');
    expect(root.classes()).toContain('ok');
    expect(root.find('[role="alert"]').exists()).toBe(false);
  });

  it('counts down to the next slot when it is in the future', () => {
    const root = meter({ used: 20, left: 0, nextSlotAt: T0 + 2_300, windowEndsAt: T0 + 2_250 });
    expect(root.get('.numbers').text()).toBe('20 of 20 used');
    expect(detail(root)).toEqual(['next in 2.3 s']);
    expect(root.classes()).toContain('full');
  });

  it('never says "next in 0.0 s" while a call still has to wait', () => {
    const root = meter({ used: 20, left: 0, nextSlotAt: T0 + 40 });
    expect(detail(root)).toEqual(['next in 0.1 s']);
  });

  it('shows the queue only when calls are waiting', async () => {
    const root = meter({ used: 20, left: 0, nextSlotAt: T0 + 4_000, queued: 6 });
    expect(detail(root)).toEqual(['next in 4.0 s', '6 waiting']);
    await root.setProps({ budget: budgetWindow({ used: 2, left: 18, queued: 0 }) });
    expect(detail(root)).toEqual(['free now']);
  });

  it('warns while the service keeps refusing with 2996', () => {
    const root = meter({ used: 20, left: 0, refusals: 2 });
    expect(root.get('[role="alert"]').text()).toBe('service refusing (2996), retrying');
  });

  it('is high from three quarters of the limit', () => {
    expect(meter({ used: 15, left: 5 }).classes()).toContain('high');
  });

  it('shows an empty window before the first budget arrives', () => {
    const root = meter(null);
    expect(root.get('.numbers').text()).toBe('0 of 20 used');
    expect(detail(root)).toEqual(['free now']);
  });
});

describe('StatusBar', () => {
  async function mountBar(session: SessionSnapshot | null = sessionSnapshot()) {
    const pinia = freshPinia();
    if (session !== null) {
      api.getSession.mockResolvedValue(session);
      await useSessionStore().start();
    }
    wrapper = mountWithApp(StatusBar, { pinia });
    return wrapper;
  }
  const meters = (root: VueWrapper): Record<string, DOMWrapper<Element>> =>
    Object.fromEntries(root.findAll('.meter').map((meter) => [meter.attributes('data-budget')!, meter]));
  const said = (meter: DOMWrapper<Element> | undefined) => meter?.findAll('.numbers, .detail, .refusals').map((part) => part.text());

  it('shows both budgets live from the store, and the countdown moves with the clock', async () => {
    api.getBudget.mockResolvedValue(
      budgetSnapshot({ used: 20, left: 0, windowEndsAt: T0 + 2_900, nextSlotAt: T0 + 3_000, queued: 2 }, { used: 3, left: 17, nextSlotAt: T0 }),
    );
    const root = await mountBar();
    const budget = useBudgetStore();
    await budget.start();
    await flushPromises();

    try {
      expect(said(meters(root).Writes)).toEqual(['20 of 20 used', 'next in 3.0 s', '2 waiting']);
      expect(said(meters(root).Reads)).toEqual(['3 of 20 used', 'free now']);

      vi.advanceTimersByTime(1_000);
      await flushPromises();
      expect(said(meters(root).Writes)).toEqual(['20 of 20 used', 'next in 2.0 s', '2 waiting']);

      vi.advanceTimersByTime(2_000);
      await flushPromises();
      expect(said(meters(root).Writes)).toEqual(['20 of 20 used', 'free now', '2 waiting']);

      // A pushed budget replaces the shown one.
      api.emit(
        'onBudget',
        budgetSnapshot({ used: 4, left: 16, nextSlotAt: Date.now(), refusals: 1 }, { used: 0, left: 20 }, Date.now()),
      );
      await flushPromises();
      expect(said(meters(root).Writes)).toEqual(['4 of 20 used', 'free now', 'service refusing (2996), retrying']);
      expect(said(meters(root).Reads)).toEqual(['0 of 20 used', 'free now']);
    } finally {
      budget.stop();
    }
  });

  it('keeps a pushed budget that is newer than the one fetched at start', async () => {
    const fetched = budgetSnapshot({ used: 1 }, {}, T0);
    api.getBudget.mockImplementation(async () => {
      api.emit('onBudget', budgetSnapshot({ used: 9 }, {}, T0 + 10));
      return fetched;
    });
    const root = await mountBar();
    const budget = useBudgetStore();
    await budget.start();
    budget.stop();
    await flushPromises();
    expect(said(meters(root).Writes)?.[0]).toBe('9 of 20 used');
  });

  it('shows the user and the service when connected', async () => {
    const root = await mountBar(sessionSnapshot({ state: 'ready', backend: 'local', userID: 'host-01' }));
    expect(root.get('.connection').attributes('data-state')).toBe('ready');
    expect(root.get('.connection strong').text()).toBe('Connected');
    expect(root.get('.connection').text()).toContain('host-01 · embedded service');
    expect(root.find('.reason').exists()).toBe(false);
  });

  it('says it is signing in before the session is known', async () => {
    const root = await mountBar(null);
    expect(root.get('.connection strong').text()).toBe('Signing in…');
  });

  it('follows the session: reconnecting with its reason, then signed out elsewhere', async () => {
    const root = await mountBar();
    api.emit(
      'onSession',
      sessionSnapshot({ state: 'reconnecting', reason: { code: ErrorCode.NETWORK_ERROR, message: 'The network link dropped.' }, since: T0 + 1 }),
    );
    await flushPromises();
    expect(root.get('.connection').attributes('data-state')).toBe('reconnecting');
    expect(root.get('.connection strong').text()).toBe('Reconnecting…');
    expect(root.get('.reason').text()).toBe('The network is unreachable; Countdeck reconnects on its own.');

    api.emit(
      'onSession',
      sessionSnapshot({
        state: 'kicked-out',
        reason: { code: ErrorCode.KICKED_OUT_MULT_DEVICE, message: 'Signed in on another device.' },
        since: T0 + 2,
      }),
    );
    await flushPromises();
    expect(root.get('.connection strong').text()).toBe('Signed out elsewhere');
    expect(root.get('.reason').text()).toBe('Signed out: this account signed in on another device.');
    expect(root.get('.dot').classes()).toContain('kicked-out');
  });

  it('translates a reason whose code has a message', async () => {
    const root = await mountBar(sessionSnapshot({ state: 'failed', reason: { code: ErrorCode.NO_USE, message: 'raw' } }));
    expect(root.get('.connection strong').text()).toBe('Connection failed');
    expect(root.get('.reason').text()).toBe('Group counters need the Ultimate edition of Tencent Cloud Chat: upgrade the application in the console.');
  });

  it('shows a notice (a recovered state file) next to a working session', async () => {
    const root = await mountBar(
      sessionSnapshot({ state: 'ready', notice: { code: ErrorCode.DATABASE_RECOVERED, message: 'state.json was unreadable' } }),
    );
    expect(root.get('.connection strong').text()).toBe('Connected');
    const notice = root.get('.notice');
    const shown = "Countdeck's data file was damaged: it was moved aside and Countdeck started with a fresh one.";
    expect(notice.text()).toBe(shown);
    // Cut to the bar's room: the whole of it, and the core's own words, on hover.
    expect(notice.attributes('title')).toBe(`${shown}\nstate.json was unreadable`);
  });

  it('keeps a session event newer than the snapshot fetched at start', async () => {
    api.getSession.mockImplementation(async () => {
      api.emit('onSession', sessionSnapshot({ state: 'reconnecting', since: T0 + 5 }));
      return sessionSnapshot({ state: 'ready', since: T0 });
    });
    const pinia = freshPinia();
    await useSessionStore().start();
    wrapper = mountWithApp(StatusBar, { pinia });
    expect(wrapper.get('.connection strong').text()).toBe('Reconnecting…');
  });
});
