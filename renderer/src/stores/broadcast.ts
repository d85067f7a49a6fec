import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import type { Broadcast } from '../../../shared/types';
import { validateBroadcastName } from '../../../shared/validation';
import { countdeck } from '../services/countdeck';

const slot = (groupID: string, key: string): string => `${groupID}\u0000${key}`;

/** The broadcast on, if any: what "since start" counts from, kept by the core across restarts. */
export const useBroadcastStore = defineStore('broadcast', () => {
  const current = shallowRef<Broadcast | null>(null);
  const busy = ref(false);
  /** Counts the broadcasts heard from the core: a fetch answered after one of them is older than it. */
  let heard = 0;

  /** Each counter's value at the start, by group and key. */
  const baselines = computed(() => new Map((current.value?.baselines ?? []).map((baseline) => [slot(baseline.groupID, baseline.key), baseline.value])));

  function show(next: Broadcast | null): void {
    current.value = next !== null && next.endedAt === null ? next : null;
  }

  /** Follows the broadcast from now on. */
  async function start(): Promise<void> {
    countdeck().onBroadcast((next) => {
      heard += 1;
      show(next);
    });
    await load();
  }

  /** Fetches the broadcast on now (again after a switch of service); one heard meanwhile wins. */
  async function load(): Promise<void> {
    const asked = heard;
    try {
      const found = await countdeck().getBroadcast();
      if (asked === heard) show(found);
    } catch {
      // Heard later through onBroadcast; until then the table says no broadcast is on.
    }
  }

  /** A counter's value when the broadcast started (or when first seen since), or null when none is on or it has none yet. */
  function baselineOf(groupID: string, key: string): string | null {
    return baselines.value.get(slot(groupID, key)) ?? null;
  }

  /** The problem with a typed name, or null. */
  function checkName(name: string): ErrorInfo | null {
    const checked = validateBroadcastName(name);
    return checked.ok ? null : checked.error;
  }

  async function run(action: () => Promise<Broadcast>): Promise<ErrorInfo | null> {
    busy.value = true;
    try {
      const result = await action();
      heard += 1;
      show(result);
      return null;
    } catch (error) {
      return error as ErrorInfo;
    } finally {
      busy.value = false;
    }
  }

  /** Starts a broadcast from the values held now (ending the one on); resolves with its error, or null. */
  function begin(name: string): Promise<ErrorInfo | null> {
    const checked = validateBroadcastName(name);
    if (!checked.ok) return Promise.resolve(checked.error);
    return run(() => countdeck().startBroadcast(checked.value === '' ? {} : { name: checked.value }));
  }

  /** Ends the broadcast on; resolves with its error, or null. */
  function end(): Promise<ErrorInfo | null> {
    return run(() => countdeck().endBroadcast());
  }

  return { current, busy, start, load, baselineOf, checkName, begin, end };
});
