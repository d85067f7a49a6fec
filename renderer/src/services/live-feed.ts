import type { Unsubscribe } from '../../../shared/counters-api';
import type { CounterBatch } from '../../../shared/types';
import { createFrameTask } from '../lib/frame-task';
import { useCountersStore } from '../stores/counters';
import { useEventLogStore } from '../stores/event-log';
import { useSeriesStore } from '../stores/series';
import { countdeck } from './countdeck';

/**
 * Hands every batch of counter updates from the core to the table, the chart and the log. Batches
 * wait for the next animation frame and are applied together there, so the page re-renders once
 * per frame however many arrived, and the chart draws them in that same frame.
 */
export function startLiveFeed(): Unsubscribe {
  const counters = useCountersStore();
  const series = useSeriesStore();
  const log = useEventLogStore();
  let waiting: CounterBatch[] = [];
  const apply = createFrameTask(() => {
    const batches = waiting;
    waiting = [];
    for (const batch of batches) {
      counters.applyBatch(batch);
      series.ingest(batch);
      log.append(batch);
    }
  });
  const stop = countdeck().onCounterBatch((batch) => {
    waiting.push(batch);
    apply.request();
  });
  return () => {
    stop();
    apply.cancel();
    waiting = [];
  };
}
