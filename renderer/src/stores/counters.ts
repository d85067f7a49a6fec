import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import type { CounterBatch, CounterValues } from '../../../shared/types';
import { checkCounterCapacity, validateCounterMap, validateDelta, validateKey, validateValue } from '../../../shared/validation';
import { countdeck } from '../services/countdeck';
import { useSeriesStore } from './series';

export interface CounterRow {
  key: string;
  /** Exact decimal text of the int64 value. */
  value: string;
  /** The value when the broadcast started (first seen, or marked by the operator). */
  baseline: string;
  /** When the last update arrived, in ms since the epoch; null if none since loading. */
  updatedAt: number | null;
}

export interface GroupCounters {
  /** `error`: the first load failed, there is nothing to show; a failed reload keeps `ready`. */
  status: 'loading' | 'ready' | 'error';
  /** Why the last load failed, until one succeeds. */
  error: ErrorInfo | null;
  rows: Map<string, CounterRow>;
}

const slot = (groupID: string, key: string): string => `${groupID}\u0000${key}`;

/** Counters of the groups on screen, fed by the core's batches; writes with pending and error state per row. */
export const useCountersStore = defineStore('counters', () => {
  const groups = reactive(new Map<string, GroupCounters>());
  const pending = reactive(new Map<string, number>());
  const rowErrors = reactive(new Map<string, ErrorInfo>());
  const lastBatchSeq = ref<number | null>(null);

  /**
   * Loads a group's counters (again, when `force`). A reload drops keys the service no longer has
   * (the SDK deletes keys without an event); a failed reload keeps the rows on screen, and live.
   */
  async function load(groupID: string, force = false): Promise<void> {
    const known = groups.get(groupID);
    if (known !== undefined && known.status !== 'error' && !force) return;
    if (known === undefined) groups.set(groupID, { status: 'loading', error: null, rows: new Map() });
    const group = groups.get(groupID)!;
    if (group.status === 'error') group.status = 'loading';
    try {
      const reply = await countdeck().getCounters({ groupID });
      for (const key of [...group.rows.keys()]) if (!Object.hasOwn(reply.counters, key)) group.rows.delete(key);
      for (const [key, value] of Object.entries(reply.counters)) upsert(group, key, value, null, value);
      useSeriesStore().seed(groupID, reply.counters, Date.now());
      group.status = 'ready';
      group.error = null;
    } catch (error) {
      group.error = error as ErrorInfo;
      if (group.status !== 'ready') group.status = 'error';
    }
  }

  function upsert(group: GroupCounters, key: string, value: string, at: number | null, baseline: string): void {
    const row = group.rows.get(key);
    if (row === undefined) {
      group.rows.set(key, { key, value, baseline, updatedAt: at });
    } else {
      row.value = value;
      if (at !== null) row.updatedAt = at;
    }
  }

  /** Applies one batch of updates; a gap in batch numbers reloads every group on screen. */
  function applyBatch(batch: CounterBatch): void {
    const gap = lastBatchSeq.value !== null && batch.seq !== lastBatchSeq.value + 1;
    lastBatchSeq.value = batch.seq;
    for (const update of batch.updates) {
      const group = groups.get(update.groupID);
      // A key created during the broadcast started from 0 (the service creates missing keys at 0).
      if (group?.status === 'ready') upsert(group, update.key, update.value, update.at, update.previous ?? '0');
    }
    if (gap) for (const groupID of groups.keys()) void load(groupID, true);
  }

  /** Makes the current values the broadcast's starting point. */
  function markBroadcastStart(): void {
    for (const group of groups.values()) for (const row of group.rows.values()) row.baseline = row.value;
  }

  function isPending(groupID: string, key: string): boolean {
    return (pending.get(slot(groupID, key)) ?? 0) > 0;
  }

  function errorOf(groupID: string, key: string): ErrorInfo | null {
    return rowErrors.get(slot(groupID, key)) ?? null;
  }

  function dismissError(groupID: string, key: string): void {
    rowErrors.delete(slot(groupID, key));
  }

  /** Tracks a write on its rows: pending until confirmed, then its error (with code) or none. */
  async function track(groupID: string, keys: readonly string[], write: () => Promise<unknown>): Promise<ErrorInfo | null> {
    for (const key of keys) {
      pending.set(slot(groupID, key), (pending.get(slot(groupID, key)) ?? 0) + 1);
      rowErrors.delete(slot(groupID, key));
    }
    try {
      await write();
      return null;
    } catch (error) {
      for (const key of keys) rowErrors.set(slot(groupID, key), error as ErrorInfo);
      return error as ErrorInfo;
    } finally {
      for (const key of keys) {
        const left = (pending.get(slot(groupID, key)) ?? 1) - 1;
        if (left > 0) pending.set(slot(groupID, key), left);
        else pending.delete(slot(groupID, key));
      }
    }
  }

  /** Changes a counter by `step` up (+1) or down (−1); refused on the spot when the step is not valid. */
  function change(groupID: string, key: string, step: string, direction: 1 | -1): Promise<ErrorInfo | null> {
    const delta = validateDelta(step);
    if (!delta.ok) return Promise.resolve(delta.error);
    const request = { groupID, key, value: delta.value.toString() };
    return track(groupID, [key], () =>
      direction === 1 ? countdeck().increaseCounter(request) : countdeck().decreaseCounter(request),
    );
  }

  /** Sets several counters in one call; new keys must fit the group's 20. */
  function setMany(groupID: string, counters: CounterValues): Promise<ErrorInfo | null> {
    const checked = validateCounterMap(counters);
    if (!checked.ok) return Promise.resolve(checked.error);
    const capacity = checkCounterCapacity(groups.get(groupID)?.rows.keys() ?? [], checked.value.keys());
    if (!capacity.ok) return Promise.resolve(capacity.error);
    const exact = Object.fromEntries([...checked.value].map(([key, value]) => [key, value.toString()]));
    return track(groupID, Object.keys(exact), () => countdeck().setCounters({ groupID, counters: exact }));
  }

  /** Sets one counter, or adds it with its start value. */
  function setValue(groupID: string, key: string, value: string): Promise<ErrorInfo | null> {
    const checkedKey = validateKey(key);
    if (!checkedKey.ok) return Promise.resolve(checkedKey.error);
    const checkedValue = validateValue(value);
    if (!checkedValue.ok) return Promise.resolve(checkedValue.error);
    return setMany(groupID, { [key]: value });
  }

  return { groups, lastBatchSeq, load, applyBatch, markBroadcastStart, isPending, errorOf, dismissError, change, setMany, setValue };
});
