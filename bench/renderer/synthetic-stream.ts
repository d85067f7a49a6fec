import { FLUSH_INTERVAL_MS } from '../../shared/limits';
import type { CounterUpdate } from '../../shared/types';

/** The group the page selects (the demo's live room): its table is on screen, its keys plotted. */
export const SHOWN_GROUP = 'live-friday';
export const GROUPS = 20;
export const KEYS_PER_GROUP = 20;
/** How often the core's batcher flushes: one batch per interval. */
export const BATCH_INTERVAL_MS = FLUSH_INTERVAL_MS;

/** One counter series: its group and key. */
export type SeriesRef = [groupID: string, key: string];

/** 20 groups × 20 keys = 400 series; the shown group's keys are its real ones, then more up to 20. */
export function seriesLayout(shownKeys: readonly string[]): SeriesRef[] {
  const keys = [...shownKeys];
  for (let i = 1; keys.length < KEYS_PER_GROUP; i += 1) if (!keys.includes(`metric_${i}`)) keys.push(`metric_${i}`);
  const layout: SeriesRef[] = keys.map((key) => [SHOWN_GROUP, key]);
  for (let g = 1; g < GROUPS; g += 1) {
    for (let k = 0; k < KEYS_PER_GROUP; k += 1) layout.push([`room-${String(g).padStart(2, '0')}`, `metric_${k + 1}`]);
  }
  return layout;
}

/** A seeded random source, so each run sends the same stream. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Counter updates over the 400 series, each series counting up from its current value. */
export class SyntheticStream {
  private readonly random: () => number;

  constructor(
    readonly series: readonly SeriesRef[],
    private readonly values: number[],
    seed = 1,
  ) {
    this.random = seeded(seed);
  }

  /** Each series' current value (history is sent up to it, then the stream goes on from it). */
  current(): number[] {
    return [...this.values];
  }

  /** Moves every series on by `steps` (after that much history was sent from `current()`). */
  advance(steps: number): void {
    for (let i = 0; i < this.values.length; i += 1) this.values[i]! += steps;
  }

  /**
   * One batch as the core's batcher would emit it at `emittedAt`: `count` updates on random series,
   * their `at` (when each entered the core) spread evenly over the interval before.
   */
  batch(count: number, emittedAt: number): CounterUpdate[] {
    const updates: CounterUpdate[] = [];
    for (let i = 0; i < count; i += 1) {
      const index = Math.floor(this.random() * this.series.length);
      const [groupID, key] = this.series[index]!;
      const previous = this.values[index]!;
      const value = previous + 1 + Math.floor(this.random() * 3);
      this.values[index] = value;
      const at = Math.round(emittedAt - BATCH_INTERVAL_MS + (BATCH_INTERVAL_MS * (i + 1)) / count);
      updates.push({ groupID, key, value: String(value), previous: String(previous), at });
    }
    return updates;
  }
}

/** A running stream: how many updates it sent between two times, and how to stop it. */
export interface StreamHandle {
  sentBetween(from: number, to: number): number;
  stop(): void;
}

/** Sends one batch per flush interval at `eventsPerSecond`, on a schedule that does not drift. */
export function startStream(stream: SyntheticStream, eventsPerSecond: number, send: (updates: CounterUpdate[], sentAt: number) => void): StreamHandle {
  const perBatch = Math.round((eventsPerSecond * BATCH_INTERVAL_MS) / 1_000);
  const started = Date.now();
  let ticks = 0;
  const sends: number[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    ticks += 1;
    const now = Date.now();
    send(stream.batch(perBatch, now), now);
    sends.push(now);
    timer = setTimeout(tick, Math.max(0, started + (ticks + 1) * BATCH_INTERVAL_MS - Date.now()));
  };
  timer = setTimeout(tick, BATCH_INTERVAL_MS);
  return {
    sentBetween: (from, to) => sends.filter((at) => at >= from && at <= to).length * perBatch,
    stop: () => clearTimeout(timer),
  };
}
