import FakeTimers from '@sinonjs/fake-timers';
import type { Clock } from '../../electron/core/clock';

/** A deterministic clock for tests: time moves only when the test advances it. */
export interface FakeClock extends Clock {
  /** Moves time forward, running due timers and the promise jobs they start. */
  advance(ms: number): Promise<void>;
  /** Runs timers until none is left (or the loop limit is hit). */
  runAll(): Promise<void>;
}

/** Creates a fake clock starting at `start` ms since the epoch. */
export function createFakeClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)): FakeClock {
  const timers = FakeTimers.createClock(start, 100_000);
  return {
    now: () => timers.now,
    setTimeout: (callback, ms) => timers.setTimeout(callback, ms),
    clearTimeout: (handle) => timers.clearTimeout(handle as FakeTimers.TimerId),
    advance: async (ms) => {
      await timers.tickAsync(ms);
    },
    runAll: async () => {
      await timers.runAllAsync();
    },
  };
}
