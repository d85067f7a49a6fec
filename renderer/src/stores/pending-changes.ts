import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { PendingChange } from '../../../shared/types';
import { countdeck } from '../services/countdeck';

const slot = (groupID: string, key: string): string => `${groupID}\u0000${key}`;
const NONE: readonly PendingChange[] = [];

/** The changes the core has not had confirmed yet, whoever sent them, those resumed from an earlier run among them. */
export const usePendingChangesStore = defineStore('pendingChanges', () => {
  const changes = shallowRef<PendingChange[]>([]);
  /** Counts the lists heard from the core: a fetch answered after one of them is older than it. */
  let heard = 0;
  const byRow = computed(() => Map.groupBy(changes.value, (change) => slot(change.groupID, change.key)));

  /** Follows the pending changes from now on. */
  async function start(): Promise<void> {
    countdeck().onPendingChanges((next) => {
      heard += 1;
      changes.value = next;
    });
    await load();
  }

  /** Fetches the pending changes (again after a switch of service); a list heard meanwhile wins. */
  async function load(): Promise<void> {
    const asked = heard;
    try {
      const found = await countdeck().getPendingChanges();
      if (asked === heard) changes.value = found;
    } catch {
      // Heard later through onPendingChanges.
    }
  }

  /** A counter's pending changes, oldest first. */
  function of(groupID: string, key: string): readonly PendingChange[] {
    return byRow.value.get(slot(groupID, key)) ?? NONE;
  }

  return { changes, start, load, of };
});
