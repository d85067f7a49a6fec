import { createCore, type Core, type CoreOptions } from '../../electron/core/create-core';
import type { Logger } from '../../electron/core/logger';
import type { FakeClock } from './fake-clock';

/**
 * Drives a real core on a fake clock for the storage fault tests: starting it, settling a call
 * (letting fake time pass so paced writes get their slot), closing it.
 */

export type Settled<T> = { state: 'ok'; value: T } | { state: 'failed'; error: { code: number; message: string } } | { state: 'pending' };

/** Lets fake time pass until `promise` settles, at most `maxMs` of it; says how it ended. */
export async function settleWithin<T>(clock: FakeClock, promise: Promise<T>, maxMs = 10_000, stepMs = 25): Promise<Settled<T>> {
  let outcome: Settled<T> = { state: 'pending' };
  promise.then(
    (value) => (outcome = { state: 'ok', value }),
    (error: { code: number; message: string }) => (outcome = { state: 'failed', error: { code: error.code, message: error.message } }),
  );
  for (let waited = 0; outcome.state === 'pending' && waited <= maxMs; waited += stepMs) await clock.advance(stepMs);
  await clock.advance(0);
  return outcome;
}

/** What the core logged, for the report of a failing test. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}

/** Starts a core on the fake clock. */
export async function startCore(clock: FakeClock, options: Omit<CoreOptions, 'clock'>): Promise<Core> {
  const started = createCore({ ...options, clock });
  let core: Core | null = null;
  let failure: unknown = null;
  started.then(
    (value) => (core = value),
    (error: unknown) => (failure = error ?? new Error('createCore rejected')),
  );
  for (let waited = 0; core === null && failure === null && waited < 5_000; waited += 10) await clock.advance(10);
  if (failure !== null) throw failure;
  if (core === null) throw new Error('createCore did not finish within 5 s of fake time');
  return core;
}

/** Closes a core, letting fake time pass for the sign-out; resolves with what close threw, if it did. */
export async function closeCore(clock: FakeClock, core: Core): Promise<unknown> {
  const closed = settleWithin(clock, core.close(), 5_000, 10);
  const outcome = await closed;
  return outcome.state === 'failed' ? outcome.error : outcome.state === 'pending' ? new Error('close() did not finish') : null;
}
