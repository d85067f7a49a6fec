// @vitest-environment happy-dom
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { CounterUpdate } from '../../shared/types';
import TrendSparkline from '../../renderer/src/components/TrendSparkline.vue';
import { seriesID, useSeriesStore } from '../../renderer/src/stores/series';
import { freshPinia, mountWithApp } from './support/mount';

let wrapper: VueWrapper | undefined;
afterEach(() => wrapper?.unmount());

/** Mounts a sparkline of `series` and lets it draw. */
async function mountSparkline(series: string, pinia = freshPinia(), live = true): Promise<VueWrapper> {
  wrapper = mountWithApp(TrendSparkline, { props: { series, live }, pinia });
  await settle();
  return wrapper;
}

/** Lets a requested redraw run. */
async function settle(): Promise<void> {
  await new Promise((done) => requestAnimationFrame(done));
  await nextTick();
}

/** The polyline's vertices as [x, y]. */
function vertices(sparkline: VueWrapper): number[][] {
  return sparkline.get('polyline').attributes('points')!.split(' ').map((vertex) => vertex.split(',').map(Number));
}

describe('TrendSparkline', () => {
  it('draws five minutes of a fast counter evenly in time, the older minutes as finely as the last', async () => {
    const pinia = freshPinia();
    const series = useSeriesStore();
    // 25 updates a second for five minutes, ending now: older ones are kept merged, the last minute point by point.
    const now = Date.now();
    const updates: CounterUpdate[] = Array.from({ length: 7_500 }, (_, i) => ({
      groupID: 'room',
      key: 'likes',
      value: String(i),
      previous: String(i - 1),
      at: now - (7_499 - i) * 40,
    }));
    series.ingest({ seq: 1, updates });
    const points = vertices(await mountSparkline(seriesID('room', 'likes'), pinia));
    const xs = points.map(([x]) => x!);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(xs[0]).toBe(0);
    expect(xs.at(-1)).toBeGreaterThan(119);
    // At most a low and a high for each pair of pixels, spread like the time they stand for.
    expect(points.length).toBeLessThanOrEqual(125);
    const lastMinute = xs.filter((x) => x >= 96).length;
    expect(xs.length - lastMinute).toBeGreaterThan(3 * lastMinute);
    // A rising counter runs from the bottom left to the top right.
    expect(points[0]![1]).toBeGreaterThan(points.at(-1)![1]!);
  });

  it('is not redrawn while not live, and catches up once it is', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const pinia = freshPinia();
      const series = useSeriesStore();
      const now = Date.now();
      const update = (value: number, at: number): CounterUpdate => ({ groupID: 'room', key: 'likes', value: String(value), previous: String(value - 1), at });
      series.ingest({ seq: 1, updates: [update(1, now - 20_000), update(2, now - 10_000)] });
      const sparkline = await mountSparkline(seriesID('room', 'likes'), pinia, false);
      const drawn = vertices(sparkline);

      series.ingest({ seq: 2, updates: [update(50, now)] });
      await nextTick();
      vi.runAllTimers();
      await settle();
      expect(vertices(sparkline)).toEqual(drawn);

      await sparkline.setProps({ live: true });
      await settle();
      // The new point is a vertex of its own.
      expect(vertices(sparkline).length).toBe(drawn.length + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws nothing for a counter without points', async () => {
    expect((await mountSparkline(seriesID('room', 'none'))).find('polyline').exists()).toBe(false);
  });
});
