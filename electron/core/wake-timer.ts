import type { Clock, TimerHandle } from './clock';

/** One pending wake-up: arming it again replaces the previous one. */
export class WakeTimer {
  private handle: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  /** Wakes once, `delayMs` from now (at once if negative). */
  in(delayMs: number): void {
    this.cancel();
    this.handle = this.clock.setTimeout(() => {
      this.handle = null;
      this.wake();
    }, Math.max(0, delayMs));
  }

  cancel(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
  }
}
