import { createCore, type Core, type CoreOptions } from '../../electron/core/create-core';
import { openLocalService, type LocalService } from '../../electron/core/chat/local';
import type { CounterBatch } from '../../shared/types';
import { createFakeClock, type FakeClock } from './fake-clock';

/** One embedded service on a fake clock, with any number of cores (users) attached to it. */
export interface CoreFixture {
  clock: FakeClock;
  service: LocalService;
  attach(userID: string, options?: Omit<CoreOptions, 'clock' | 'service' | 'userID'>): Promise<Core>;
  /** Lets fake time pass until the promise settles (a paced write waits for its slot). */
  settle<T>(promise: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens the demo service on a fake clock; `latencyMs` delays every reply and event. */
export async function createCoreFixture(latencyMs = 0): Promise<CoreFixture> {
  const clock = createFakeClock();
  const service = await openLocalService({ clock, latencyMs, seed: 'demo', log: () => {} });
  const cores: Core[] = [];
  return {
    clock,
    service,
    attach: async (userID, options = {}) => {
      const pending = createCore({ ...options, clock, service, userID });
      await clock.advance(latencyMs * 4);
      const core = await pending;
      cores.push(core);
      return core;
    },
    settle: async (promise) => {
      let done = false;
      const watched = promise.finally(() => (done = true));
      watched.catch(() => {});
      while (!done) await clock.advance(10);
      return watched;
    },
    close: async () => {
      let done = false;
      const closing = (async () => {
        for (const core of cores) await core.close();
        await service.close();
      })().finally(() => (done = true));
      // Replies (the sign-out's among them) arrive only as fake time passes.
      while (!done) await clock.advance(Math.max(latencyMs, 1));
      await closing;
    },
  };
}

/** Collects every batch a core publishes. */
export function collectBatches(core: Core): CounterBatch[] {
  const batches: CounterBatch[] = [];
  core.api.onCounterBatch((batch) => batches.push(batch));
  return batches;
}
