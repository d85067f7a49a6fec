import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SessionSnapshot } from '../../../shared/types';
import { countdeck } from '../services/countdeck';

/** The signed-in session as the main process reports it. */
export const useSessionStore = defineStore('session', () => {
  const snapshot = ref<SessionSnapshot | null>(null);
  const isReady = computed(() => snapshot.value?.state === 'ready');

  /** Follows the session from now on. */
  async function start(): Promise<void> {
    countdeck().onSession((next) => (snapshot.value = next));
    const current = await countdeck().getSession();
    if (snapshot.value === null || snapshot.value.since <= current.since) snapshot.value = current;
  }

  return { snapshot, isReady, start };
});
