import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CounterBatch, CounterUpdate } from '../../../shared/types';
import { countdeck } from '../services/countdeck';
import { useGroupsStore } from './groups';

/** Updates kept in the log; the oldest give way. */
export const EVENT_LOG_SIZE = 500;

export interface LogEntry extends CounterUpdate {
  id: number;
}

/** What tells one update from another: the same update, stored and heard live, has the same. */
const identity = (update: CounterUpdate): string => `${update.groupID}\u0000${update.key}\u0000${update.at}\u0000${update.previous}\u0000${update.value}`;

/** Two lists of entries, newest first, as one, newest first: each keeps its order, and `first` comes first at equal times. */
function mergeNewestFirst(first: readonly LogEntry[], second: readonly LogEntry[], limit: number): LogEntry[] {
  const merged: LogEntry[] = [];
  let a = 0;
  let b = 0;
  while (merged.length < limit && (a < first.length || b < second.length)) {
    if (b >= second.length || (a < first.length && first[a]!.at >= second[b]!.at)) merged.push(first[a++]!);
    else merged.push(second[b++]!);
  }
  return merged;
}

/** The most recent counter updates, newest first (the stored ones from before the page started among them), with a filter. */
export const useEventLogStore = defineStore('eventLog', () => {
  const groups = useGroupsStore();
  const entries = shallowRef<LogEntry[]>([]);
  const filter = ref('');
  let nextID = 1;
  /** Moves on with each reset: a fill answered after one is dropped. */
  let generation = 0;
  /** Stored updates the last fill showed, and the newest one's time: the live batch that brings one again is not shown twice. */
  let filled = new Set<string>();
  let filledUntil = -Infinity;

  /** Group names by ID in lower case, worked out once per change of the list, not once per entry and keystroke. */
  const names = computed(() => new Map(groups.groups.map((group) => [group.groupID, group.name.toLowerCase()])));
  const visible = computed(() => {
    const needle = filter.value.trim().toLowerCase();
    if (needle === '') return entries.value;
    const named = names.value;
    return entries.value.filter(
      (entry) =>
        entry.key.toLowerCase().includes(needle) ||
        entry.groupID.toLowerCase().includes(needle) ||
        named.get(entry.groupID)?.includes(needle) === true,
    );
  });

  const entry = (update: CounterUpdate): LogEntry => ({ ...update, id: nextID++ });

  /** Adds a batch's updates at the top, but for those a fill showed already. */
  function append(batch: CounterBatch): void {
    let updates = batch.updates;
    if (filled.size > 0 && updates.some((update) => update.at <= filledUntil)) {
      updates = updates.filter((update) => update.at > filledUntil || !filled.delete(identity(update)));
    }
    const fresh = updates.slice(-EVENT_LOG_SIZE).map(entry).reverse();
    entries.value = [...fresh, ...entries.value].slice(0, EVENT_LOG_SIZE);
  }

  /**
   * Fills the log with the stored updates of the service in use (after a start, a reload or a switch
   * of connection), merged with the live ones heard meanwhile: each once, newest first. A failure
   * leaves the live ones as they are.
   */
  async function fill(): Promise<void> {
    const asked = generation;
    let stored: CounterUpdate[];
    try {
      stored = await countdeck().getRecentUpdates({ limit: EVENT_LOG_SIZE });
    } catch {
      return;
    }
    if (asked !== generation || stored.length === 0) return;
    const heard = new Set(entries.value.map(identity));
    filled = new Set(stored.map(identity).filter((id) => !heard.has(id)));
    filledUntil = Math.max(...stored.map((update) => update.at));
    const older = stored.filter((update) => !heard.has(identity(update))).map(entry);
    entries.value = mergeNewestFirst(entries.value, older, EVENT_LOG_SIZE);
  }

  /** Forgets the updates of the previous connection; a fill still out for it is dropped. */
  function reset(): void {
    generation += 1;
    entries.value = [];
    filled = new Set();
    filledUntil = -Infinity;
  }

  /** Lets go of the entries from before a time (their history was deleted). */
  function dropBefore(before: number): void {
    entries.value = entries.value.filter((entry) => entry.at >= before);
  }

  return { entries, filter, visible, append, fill, reset, dropBefore };
});
