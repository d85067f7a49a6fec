import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CounterBatch, CounterUpdate } from '../../../shared/types';

/** Updates kept in the log; the oldest give way. */
export const EVENT_LOG_SIZE = 500;

export interface LogEntry extends CounterUpdate {
  id: number;
}

/** The most recent counter updates, newest first, with a filter on group and key. */
export const useEventLogStore = defineStore('eventLog', () => {
  const entries = shallowRef<LogEntry[]>([]);
  const filter = ref('');
  let nextID = 1;

  const visible = computed(() => {
    const needle = filter.value.trim().toLowerCase();
    if (needle === '') return entries.value;
    return entries.value.filter(
      (entry) => entry.groupID.toLowerCase().includes(needle) || entry.key.toLowerCase().includes(needle),
    );
  });

  /** Adds a batch's updates at the top. */
  function append(batch: CounterBatch): void {
    const fresh = batch.updates.slice(-EVENT_LOG_SIZE).map((update) => ({ ...update, id: nextID++ })).reverse();
    entries.value = [...fresh, ...entries.value].slice(0, EVENT_LOG_SIZE);
  }

  /** Forgets the updates of the previous connection. */
  function reset(): void {
    entries.value = [];
  }

  return { entries, filter, visible, append, reset };
});
