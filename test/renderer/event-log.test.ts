// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { VueWrapper } from '@vue/test-utils';
import EventLog from '../../renderer/src/components/EventLog.vue';
import { useEventLogStore } from '../../renderer/src/stores/event-log';
import { freshPinia, mountWithApp } from './support/mount';
import { T0 } from './support/fake-countdeck';

let wrapper: VueWrapper | undefined;

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

it('colours each new value by its change, compared exactly past 2^53', () => {
  const pinia = freshPinia();
  const changes: [key: string, previous: string | null, value: string][] = [
    ['rose', '41', '42'],
    ['fell', '42', '-7'],
    ['held', '9', '9'],
    ['first', null, '3'],
    ['big', '9007199254740993', '9007199254740992'],
  ];
  useEventLogStore().append({ seq: 1, updates: changes.map(([key, previous, value], i) => ({ groupID: 'room', key, previous, value, at: T0 + i })) });
  wrapper = mountWithApp(EventLog, { pinia });
  const colours = Object.fromEntries(
    wrapper.findAll('tbody tr').map((row) => [row.find('.key').text(), row.find('.new').classes().filter((name) => name !== 'new').join(' ')]),
  );
  expect(colours).toEqual({ rose: 'up', fell: 'down', held: '', first: 'up', big: 'down' });
});

it('shows the full group name and key on hover, since the fixed columns cut long ones short', () => {
  const pinia = freshPinia();
  const key = 'a-counter-key-far-longer-than-its-column';
  useEventLogStore().append({ seq: 1, updates: [{ groupID: 'a-room-whose-id-is-long', key, previous: '1', value: '2', at: T0 }] });
  wrapper = mountWithApp(EventLog, { pinia });
  const row = wrapper.get('tbody tr');
  expect(row.get('.key').attributes('title')).toBe(key);
  expect(row.get('.group').attributes('title')).toBe(row.get('.group').text());
  expect(row.get('.group').text()).toContain('a-room-whose-id-is-long');
});

it('draws only the rows in view of its scrolled body, keeping the room of the others', async () => {
  const pinia = freshPinia();
  const updates = Array.from({ length: 60 }, (_, i) => ({ groupID: 'room', key: `k${i}`, previous: String(i), value: String(i + 1), at: T0 + i }));
  useEventLogStore().append({ seq: 1, updates });
  wrapper = mountWithApp(EventLog, { pinia });
  // Before the body is measured (no layout here), every shown row is drawn: the newest 40.
  expect(wrapper.findAll('tr.entry')).toHaveLength(40);
  const body = wrapper.get('.log-body').element;
  // Five rows of 28 px in view, scrolled ten rows down.
  Object.defineProperties(body, { clientHeight: { value: 140 }, scrollTop: { value: 280, writable: true } });
  await wrapper.get('.log-body').trigger('scroll');
  const drawn = wrapper.findAll('tr.entry');
  // Rows 10 to 14 are in view, with two more past each edge: the 9th to the 17th newest (k51 down to k43).
  expect(drawn.map((row) => row.get('.key').text())).toEqual(['k51', 'k50', 'k49', 'k48', 'k47', 'k46', 'k45', 'k44', 'k43']);
  expect(drawn.map((row) => row.attributes('aria-rowindex'))).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18']);
  expect(wrapper.get('table').attributes('aria-rowcount')).toBe('41');
  const spacers = wrapper.findAll('tr.spacer td').map((cell) => (cell.element as HTMLElement).style.height);
  expect(spacers).toEqual([`${8 * 28}px`, `${(40 - 17) * 28}px`]);
});

it('shows the first updates at once, and then refreshes a few times a second', async () => {
  vi.useFakeTimers();
  try {
    const pinia = freshPinia();
    wrapper = mountWithApp(EventLog, { pinia });
    const log = useEventLogStore();
    expect(wrapper.get('.empty-state').text()).toBe('No updates yet.');
    log.append({ seq: 1, updates: [{ groupID: 'room', key: 'likes', previous: '1', value: '2', at: T0 }] });
    await nextTick();
    expect(wrapper.find('.empty-state').exists()).toBe(false);
    expect(wrapper.findAll('tr.entry .key').map((key) => key.text())).toEqual(['likes']);
    log.append({ seq: 2, updates: [{ groupID: 'room', key: 'gifts', previous: '5', value: '6', at: T0 + 1 }] });
    await nextTick();
    expect(wrapper.findAll('tr.entry .key').map((key) => key.text())).toEqual(['likes']);
    vi.advanceTimersByTime(250);
    await nextTick();
    expect(wrapper.findAll('tr.entry .key').map((key) => key.text())).toEqual(['gifts', 'likes']);
  } finally {
    vi.useRealTimers();
  }
});

it('shows what a new filter matches at once, and says so when nothing does', async () => {
  vi.useFakeTimers();
  try {
    const pinia = freshPinia();
    const log = useEventLogStore();
    log.append({ seq: 1, updates: ['likes', 'gifts'].map((key, i) => ({ groupID: 'room', key, previous: '1', value: '2', at: T0 + i })) });
    wrapper = mountWithApp(EventLog, { pinia });
    log.filter = 'gift';
    await nextTick();
    expect(wrapper.findAll('tr.entry .key').map((key) => key.text())).toEqual(['gifts']);
    log.filter = 'shares';
    await nextTick();
    expect(wrapper.get('.empty-state').text()).toContain('shares');
    log.filter = '';
    await nextTick();
    expect(wrapper.findAll('tr.entry .key').map((key) => key.text())).toEqual(['gifts', 'likes']);
  } finally {
    vi.useRealTimers();
  }
});
