import type { JournalEntry } from './journal';

/** A fresh read of a group: all its counters and, where the service reports it, its sequence. */
export interface GroupSnapshot {
  counters: ReadonlyMap<string, bigint>;
  seq: number | undefined;
}

export type Verdict = 'applied' | 'not-applied' | 'ambiguous';

/**
 * Judges a call whose outcome is unknown (timeout, lost link) against a fresh read, so it is never
 * blindly sent again. A set is applied when every key shows its value, and is otherwise safe to send
 * again. A delta is applied when the counter moved by exactly it, not applied when the group's
 * sequence or the counter did not move, and ambiguous otherwise.
 */
export function reconcile(entry: JournalEntry, fresh: GroupSnapshot): Verdict {
  const { call, before } = entry;
  if (call.kind === 'set') {
    return call.phases.every((phase) => fresh.counters.get(phase.key) === phase.value) ? 'applied' : 'not-applied';
  }
  const { key, value: delta } = call.phase;
  if (before.seq !== undefined && fresh.seq !== undefined && fresh.seq === before.seq) return 'not-applied';
  const base = before.values.get(key);
  if (base === undefined) return 'ambiguous';
  const now = fresh.counters.get(key) ?? 0n;
  if (now === base + delta) return 'applied';
  if (now === base) return 'not-applied';
  return 'ambiguous';
}
