import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BudgetSnapshot } from '../../../shared/types';
import { countdeck } from '../services/countdeck';

const TICK_MS = 250;

/** The two SDK budgets (writes, reads) and a clock that ticks so countdowns move. */
export const useBudgetStore = defineStore('budget', () => {
  const snapshot = ref<BudgetSnapshot | null>(null);
  const now = ref(Date.now());
  let ticker: ReturnType<typeof setInterval> | undefined;

  /** Follows the budgets from now on. */
  async function start(): Promise<void> {
    countdeck().onBudget((next) => (snapshot.value = next));
    const current = await countdeck().getBudget();
    if (snapshot.value === null || snapshot.value.at <= current.at) snapshot.value = current;
    ticker ??= setInterval(() => (now.value = Date.now()), TICK_MS);
  }

  function stop(): void {
    clearInterval(ticker);
    ticker = undefined;
  }

  return { snapshot, now, start, stop };
});
