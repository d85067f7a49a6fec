import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import type { BudgetSnapshot } from '../../shared/types';
import type { Clock, TimerHandle } from './clock';
import { PacedFlush } from './paced-flush';

/**
 * Publishes budget snapshots when the ledger changes (at most once per FLUSH_INTERVAL_MS) and again when a window
 * closes, so the operator sees a budget refill without any call being made.
 */
export class BudgetFeed {
  private readonly pacer: PacedFlush;
  private windowTimer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly snapshot: () => BudgetSnapshot,
    private readonly emit: (snapshot: BudgetSnapshot) => void,
  ) {
    this.pacer = new PacedFlush(clock, FLUSH_INTERVAL_MS, () => this.publish());
  }

  /** Something in the ledger changed. */
  changed(): void {
    this.pacer.request();
  }

  close(): void {
    this.pacer.cancel();
    if (this.windowTimer !== null) this.clock.clearTimeout(this.windowTimer);
  }

  private publish(): void {
    const snapshot = this.snapshot();
    this.emit(snapshot);
    const ends = [snapshot.write.windowEndsAt, snapshot.read.windowEndsAt].filter(
      (at): at is number => at !== null && at >= snapshot.at,
    );
    if (this.windowTimer !== null) this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = ends.length === 0 ? null : this.clock.setTimeout(() => this.changed(), Math.min(...ends) - snapshot.at + 1);
  }
}
