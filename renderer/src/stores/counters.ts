import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import type { CounterBatch, CounterValues } from '../../../shared/types';
import type { Result } from '../../../shared/result';
import { checkCounterCapacity, checkExact, validateCounterMap, validateDelta, validateKey, validateValue } from '../../../shared/validation';
import { normalizeNumberInput } from '../lib/format';
import { countdeck } from '../services/countdeck';
import { useSeriesStore } from './series';
import { useSessionStore } from './session';

export interface CounterRow {
  key: string;
  /** Exact decimal text of the int64 value. */
  value: string;
  /** When the last update arrived, in ms since the epoch (from the stored history, then live); null if none is known. */
  updatedAt: number | null;
  /** The service sent the value as a JS number too large to be exact. */
  inexact: boolean;
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
      for (const [key, value] of Object.entries(reply.counters)) upsert(group, key, value, reply.updatedAt[key] ?? null, reply.inexact?.includes(key) === true);
      useSeriesStore().seed(groupID, reply.counters, Date.now());
      group.status = 'ready';
      group.error = null;
    } catch (error) {
      group.error = error as ErrorInfo;
      if (group.status !== 'ready') group.status = 'error';
    }
  }

  function upsert(group: GroupCounters, key: string, value: string, at: number | null, inexact: boolean): void {
    const row = group.rows.get(key);
    if (row === undefined) {
      group.rows.set(key, { key, value, updatedAt: at, inexact });
    } else {
      row.value = value;
      row.inexact = inexact;
      // A reload's stored time may be older than an update heard since.
      if (at !== null && (row.updatedAt === null || at > row.updatedAt)) row.updatedAt = at;
    }
  }

  /** Applies one batch of updates; a gap in batch numbers reloads every group on screen. */
  function applyBatch(batch: CounterBatch): void {
    const gap = lastBatchSeq.value !== null && batch.seq !== lastBatchSeq.value + 1;
    lastBatchSeq.value = batch.seq;
    for (const update of batch.updates) {
      const group = groups.get(update.groupID);
      if (group?.status === 'ready') upsert(group, update.key, update.value, update.at, update.inexact === true);
    }
    if (gap) for (const groupID of groups.keys()) void load(groupID, true);
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

  /** What the operator typed as a number, judged as the service in use will judge it (Tencent: JS numbers). */
  function judge(text: string, validate: (input: unknown) => Result<bigint>): Result<bigint> {
    const checked = validate(normalizeNumberInput(text));
    const exactOnly = useSessionStore().snapshot?.backend === 'tencent';
    return checked.ok && exactOnly ? checkExact(checked.value) : checked;
  }

  /** The problem with a typed value, or null. */
  function checkValue(text: string): ErrorInfo | null {
    const checked = judge(text, validateValue);
    return checked.ok ? null : checked.error;
  }

  /** The problem with a typed step, or null. */
  function checkStep(text: string): ErrorInfo | null {
    const checked = judge(text, validateDelta);
    return checked.ok ? null : checked.error;
  }

  /** Changes a counter by `step` up (+1) or down (−1); refused on the spot when the step is not valid. */
  function change(groupID: string, key: string, step: string, direction: 1 | -1): Promise<ErrorInfo | null> {
    const delta = judge(step, validateDelta);
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
    for (const value of Object.values(counters)) {
      const problem = checkValue(value);
      if (problem !== null) return Promise.resolve(problem);
    }
    const capacity = checkCounterCapacity(groups.get(groupID)?.rows.keys() ?? [], checked.value.keys());
    if (!capacity.ok) return Promise.resolve(capacity.error);
    const exact = Object.fromEntries([...checked.value].map(([key, value]) => [key, value.toString()]));
    return track(groupID, Object.keys(exact), () => countdeck().setCounters({ groupID, counters: exact }));
  }

  /** Sets one counter, or adds it with its start value. */
  function setValue(groupID: string, key: string, value: string): Promise<ErrorInfo | null> {
    const checkedKey = validateKey(key);
    if (!checkedKey.ok) return Promise.resolve(checkedKey.error);
    const problem = checkValue(value);
    if (problem !== null) return Promise.resolve(problem);
    return setMany(groupID, { [key]: normalizeNumberInput(value) });
  }

  /** Forgets everything of the previous connection. */
  function reset(): void {
    groups.clear();
    pending.clear();
    rowErrors.clear();
    lastBatchSeq.value = null;
  }

  return { groups, lastBatchSeq, reset, load, applyBatch, isPending, errorOf, dismissError, checkValue, checkStep, change, setMany, setValue };
});
