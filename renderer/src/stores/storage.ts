import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import type { StorageInfo } from '../../../shared/types';
import { countdeck } from '../services/countdeck';
import { useEventLogStore } from './event-log';
import { useSeriesStore } from './series';

/** Where Countdeck keeps its data, how much there is, what is wrong with it, and deleting old history. */
export const useStorageStore = defineStore('storage', () => {
  const info = shallowRef<StorageInfo | null>(null);
  const deleting = ref(false);
  /** Counts the reports heard from the core: a fetch answered after one of them is older than it. */
  let heard = 0;

  /** Follows the storage from now on. */
  async function start(): Promise<void> {
    countdeck().onStorage((next) => {
      heard += 1;
      info.value = next;
    });
    const asked = heard;
    try {
      const found = await countdeck().getStorage();
      if (asked === heard) info.value = found;
    } catch {
      // Heard later through onStorage; until then the status bar shows no storage problem.
    }
  }

  /** Deletes the history from before `before`; the chart and the log let go of it too. Resolves with the error, or null. */
  async function deleteBefore(before: number): Promise<ErrorInfo | null> {
    deleting.value = true;
    try {
      const next = await countdeck().deleteHistory({ before });
      heard += 1;
      info.value = next;
      useEventLogStore().dropBefore(before);
      void useSeriesStore().reloadHistory();
      return null;
    } catch (error) {
      return error as ErrorInfo;
    } finally {
      deleting.value = false;
    }
  }

  return { info, deleting, start, deleteBefore };
});
