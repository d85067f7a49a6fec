// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watch } from 'vue';
import type { CounterUpdate } from '../../shared/types';
import { createFrameTask } from '../../renderer/src/lib/frame-task';
import { startLiveFeed } from '../../renderer/src/services/live-feed';
import { useEventLogStore } from '../../renderer/src/stores/event-log';
import { seriesID, useSeriesStore } from '../../renderer/src/stores/series';
import { installFakeCountdeck, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia } from './support/mount';

/** Animation frames the test runs by hand. */
let callbacks: FrameRequestCallback[] = [];
function frame(): void {
  const due = callbacks;
  callbacks = [];
  for (const callback of due) callback(performance.now());
}

beforeEach(() => {
  callbacks = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => callbacks.push(callback));
  vi.stubGlobal('cancelAnimationFrame', () => {});
});

afterEach(() => {
  // Leaves no task queued for the next test.
  while (callbacks.length > 0) frame();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('frame tasks', () => {
  it('run once in the next frame however often they are asked for, sharing one animation frame', () => {
    const runs: string[] = [];
    const a = createFrameTask(() => runs.push('a'));
    const b = createFrameTask(() => runs.push('b'));
    b.request();
    a.request();
    b.request();
    expect(runs).toEqual([]);
    expect(callbacks).toHaveLength(1);
    frame();
    expect(runs).toEqual(['b', 'a']);
    frame();
    expect(runs).toEqual(['b', 'a']);
  });

  it('runs a task asked for during the frame in that same frame, after the one that asked', () => {
    const runs: string[] = [];
    const draw = createFrameTask(() => runs.push('draw'));
    const apply = createFrameTask(() => {
      runs.push('apply');
      draw.request();
    });
    apply.request();
    frame();
    expect(runs).toEqual(['apply', 'draw']);
    expect(callbacks).toHaveLength(0);
  });

  it('puts off to the next frame a task asked for again after it ran, so none can loop', () => {
    let runs = 0;
    const again = createFrameTask(() => {
      runs += 1;
      again.request();
    });
    again.request();
    frame();
    expect(runs).toBe(1);
    frame();
    expect(runs).toBe(2);
    again.cancel();
    frame();
    expect(runs).toBe(2);
  });

  it('drops a cancelled request', () => {
    const run = vi.fn();
    const task = createFrameTask(run);
    task.request();
    task.cancel();
    frame();
    expect(run).not.toHaveBeenCalled();
  });

  it('lets the other tasks of a frame run when one throws, and still reports the error', () => {
    const reported: (() => void)[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void) => reported.push(callback)) as unknown as typeof setTimeout);
    const after = vi.fn();
    createFrameTask(() => {
      throw new Error('chart broke');
    }).request();
    createFrameTask(after).request();
    frame();
    expect(after).toHaveBeenCalledOnce();
    expect(reported).toHaveLength(1);
    expect(() => reported[0]!()).toThrow('chart broke');
  });
});

describe('the live feed', () => {
  let fake: FakeCountdeck;
  beforeEach(() => {
    fake = installFakeCountdeck();
    freshPinia();
  });

  const update = (key: string, value: number, at: number): CounterUpdate => ({ groupID: 'room', key, value: String(value), previous: String(value - 1), at });

  it('applies every batch that arrived before a frame in that frame, in order, and the chart draws them in it too', () => {
    const stop = startLiveFeed();
    const series = useSeriesStore();
    const log = useEventLogStore();
    const drawnAt: number[] = [];
    const chart = createFrameTask(() => drawnAt.push(series.points(seriesID('room', 'likes'))?.length ?? 0));
    watch(() => series.version, () => chart.request(), { flush: 'sync' });

    fake.emit('onCounterBatch', { seq: 1, updates: [update('likes', 1, T0)] });
    fake.emit('onCounterBatch', { seq: 2, updates: [update('likes', 2, T0 + 10), update('gifts', 5, T0 + 10)] });
    fake.emit('onCounterBatch', { seq: 3, updates: [update('likes', 3, T0 + 20)] });
    expect(log.entries).toEqual([]);
    expect(series.known).toEqual([]);

    frame();
    expect(log.entries.map((entry) => `${entry.key}=${entry.value}`)).toEqual(['likes=3', 'gifts=5', 'likes=2', 'likes=1']);
    expect(series.points(seriesID('room', 'likes'))?.length).toBe(3);
    expect(drawnAt).toEqual([3]);
    expect(callbacks).toHaveLength(0);
    stop();
  });

  it('stops taking batches once stopped, dropping any still waiting', () => {
    const stop = startLiveFeed();
    const log = useEventLogStore();
    fake.emit('onCounterBatch', { seq: 1, updates: [update('likes', 1, T0)] });
    stop();
    fake.emit('onCounterBatch', { seq: 2, updates: [update('likes', 2, T0)] });
    frame();
    expect(log.entries).toEqual([]);
    expect(fake.listenerCount('onCounterBatch')).toBe(0);
  });
});
