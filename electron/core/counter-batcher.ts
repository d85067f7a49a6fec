import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import type { CounterBatch, CounterUpdate } from '../../shared/types';
import type { Clock } from './clock';
import { PacedFlush } from './paced-flush';

/**
 * Buffers counter updates and hands them on as one batch per flush, at most once per FLUSH_INTERVAL_MS, each batch
 * numbered one more than the last so a receiver can spot a gap and resync.
 */
export class CounterBatcher {
  private buffer: CounterUpdate[] = [];
  private seq = 0;
  private readonly pacer: PacedFlush;

  constructor(
    clock: Clock,
    private readonly emit: (batch: CounterBatch) => void,
    intervalMs = FLUSH_INTERVAL_MS,
  ) {
    this.pacer = new PacedFlush(clock, intervalMs, () => this.flush());
  }

  push(update: CounterUpdate): void {
    this.buffer.push(update);
    this.pacer.request();
  }

  /** Stops flushing; updates still buffered are dropped. */
  close(): void {
    this.pacer.cancel();
    this.buffer = [];
  }

  /** Hands on what is buffered now, as one batch. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const updates = this.buffer;
    this.buffer = [];
    this.seq += 1;
    this.emit({ seq: this.seq, updates });
  }
}
