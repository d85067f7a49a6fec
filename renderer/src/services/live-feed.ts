import type { Unsubscribe } from '../../../shared/counters-api';
import { useCountersStore } from '../stores/counters';
import { useEventLogStore } from '../stores/event-log';
import { useSeriesStore } from '../stores/series';
import { countdeck } from './countdeck';

/** Hands every batch of counter updates from the core to the table, the chart and the log. */
export function startLiveFeed(): Unsubscribe {
  const counters = useCountersStore();
  const series = useSeriesStore();
  const log = useEventLogStore();
  return countdeck().onCounterBatch((batch) => {
    counters.applyBatch(batch);
    series.ingest(batch);
    log.append(batch);
  });
}
