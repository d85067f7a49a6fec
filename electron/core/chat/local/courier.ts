import type { Clock } from '../../clock';

/**
 * Carries the service's replies and events to the clients, asynchronously and in the order they
 * were sent: every job waits the same latency, so first sent is first delivered.
 */
export class Courier {
  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: number,
  ) {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) {
      throw new RangeError(`latencyMs must be a number of milliseconds ≥ 0; got ${latencyMs}.`);
    }
  }

  /** Runs `job` after the latency: on a microtask when it is 0, else on the injected clock. */
  send(job: () => void): void {
    if (this.latencyMs === 0) queueMicrotask(job);
    else this.clock.setTimeout(job, this.latencyMs);
  }
}
