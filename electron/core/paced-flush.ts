import type { Clock, TimerHandle } from './clock';

/** Runs `flush` soon after a request, but never sooner than `intervalMs` after the previous run. */
export class PacedFlush {
  private timer: TimerHandle | null = null;
  private lastRunAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly flush: () => void,
  ) {}

  /** Asks for a run; requests made before it happens share it. */
  request(): void {
    if (this.timer !== null) return;
    const delay = Math.max(0, this.lastRunAt + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.run(), delay);
  }

  /** Drops a pending run. */
  cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    this.lastRunAt = this.clock.now();
    this.flush();
  }
}
