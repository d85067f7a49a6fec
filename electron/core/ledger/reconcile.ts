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

/**
 * Judges a delta that was on its way when the link dropped: the SDK sends such a request again by
 * itself on reconnect, with no idempotency key, so the service may have applied it once or twice.
 */
export function judgeResent(entry: JournalEntry, fresh: GroupSnapshot): 'once' | 'twice' | 'ambiguous' {
  if (entry.call.kind !== 'delta') return 'once';
  const { key, value: delta } = entry.call.phase;
  const base = entry.before.values.get(key);
  if (base === undefined) return 'ambiguous';
  const now = fresh.counters.get(key) ?? 0n;
  if (now === base + delta) return 'once';
  if (now === base + 2n * delta) return 'twice';
  return 'ambiguous';
}
