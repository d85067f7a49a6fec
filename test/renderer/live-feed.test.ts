// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { CounterUpdate } from '../../shared/types';
import { startLiveFeed } from '../../renderer/src/services/live-feed';
import { useEventLogStore } from '../../renderer/src/stores/event-log';
import { seriesID, useSeriesStore } from '../../renderer/src/stores/series';
import { installFakeCountdeck, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia } from './support/mount';

const update = (key: string, value: number, at: number): CounterUpdate => ({ groupID: 'room', key, value: String(value), previous: String(value - 1), at });

describe('the live feed', () => {
  let fake: FakeCountdeck;
  beforeEach(() => {
    fake = installFakeCountdeck();
    freshPinia();
  });

  it('hands each batch to the chart and the log as it arrives, in order', () => {
    const stop = startLiveFeed();
    const series = useSeriesStore();
    const log = useEventLogStore();
    fake.emit('onCounterBatch', { seq: 1, updates: [update('likes', 1, T0)] });
    expect(log.entries.map((entry) => entry.value)).toEqual(['1']);
    fake.emit('onCounterBatch', { seq: 2, updates: [update('likes', 2, T0 + 10), update('gifts', 5, T0 + 10)] });
    expect(log.entries.map((entry) => `${entry.key}=${entry.value}`)).toEqual(['gifts=5', 'likes=2', 'likes=1']);
    const likes = series.histories.get(seriesID('room', 'likes'))!;
    expect([likes.length, likes.valueAt(1), likes.timeAt(1)]).toEqual([2, 2, T0 + 10]);
    stop();
  });

  it('takes no batch once stopped', () => {
    const stop = startLiveFeed();
    stop();
    fake.emit('onCounterBatch', { seq: 1, updates: [update('likes', 1, T0)] });
    expect(useEventLogStore().entries).toEqual([]);
    expect(fake.listenerCount('onCounterBatch')).toBe(0);
  });
});
