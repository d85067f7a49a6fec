import type { Unsubscribe } from '../../shared/counters-api';
import type { PendingChange } from '../../shared/types';
import type { Clock } from './clock';
import { Listeners } from './listeners';
import { PacedFlush } from './paced-flush';

/** The list is sent at most this often: it is read by people, and the budget feed shows the rest live. */
const PENDING_EVERY_MS = 100;

/** Publishes the changes not confirmed yet whenever that list changes, paced. */
export class PendingFeed {
  private readonly listeners = new Listeners<PendingChange[]>();
  private readonly pacer: PacedFlush;
  private last = '[]';

  constructor(clock: Clock, private readonly list: () => PendingChange[]) {
    this.pacer = new PacedFlush(clock, PENDING_EVERY_MS, () => this.publish());
  }

  add(listener: (changes: PendingChange[]) => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /** Something in the ledger changed. */
  changed(): void {
    this.pacer.request();
  }

  close(): void {
    this.pacer.cancel();
  }

  private publish(): void {
    const changes = this.list();
    const text = JSON.stringify(changes);
    if (text === this.last) return;
    this.last = text;
    this.listeners.emit(changes);
  }
}
