import type { CounterUpdate } from '../../../shared/types';

/** How long held counters answer reads after the last fetch or event, as the SDK's own cache does. */
export const HELD_FRESH_MS = 30_000;

interface HeldCounter {
  value: bigint;
  /** The group counter sequence that produced this value, where the service reports one. */
  seq: number | undefined;
  /** The service sent it as a JS number too large to be exact. */
  inexact: boolean;
}

interface HeldGroup {
  /** In the service's order of the last snapshot, then keys heard of since. */
  counters: Map<string, HeldCounter>;
  /** The sequence of the last full snapshot; events older than it are stale. */
  snapshotSeq: number;
  /** When a full snapshot was last taken; null until the first fetch, and again after a lost link. */
  fetchedAt: number | null;
  /** Whether any full snapshot was ever taken. */
  everFetched: boolean;
  /** When the group was last confirmed current, by a fetch or an event. */
  touchedAt: number;
}

/** An incoming counter value with the sequence number the service gave it, if any. */
export interface IncomingCounter {
  groupID: string;
  key: string;
  value: bigint;
  seq?: number;
  inexact?: boolean;
}

/**
 * The counters a session holds per group, fed by events and fetches. An older sequence never
 * overwrites a newer one, whichever path it arrives by.
 */
export class CounterStore {
  private readonly groups = new Map<string, HeldGroup>();

  /** Applies one event; returns the update to publish, or null when it is stale. */
  applyEvent(incoming: IncomingCounter, at: number): CounterUpdate | null {
    const group = this.group(incoming.groupID, at);
    const held = group.counters.get(incoming.key);
    if (this.isStale(group, held, incoming.seq)) return null;
    const inexact = incoming.inexact === true;
    group.counters.set(incoming.key, { value: incoming.value, seq: incoming.seq, inexact });
    group.touchedAt = at;
    return {
      groupID: incoming.groupID,
      key: incoming.key,
      value: incoming.value.toString(),
      previous: held === undefined ? null : held.value.toString(),
      at,
      ...(inexact && { inexact }),
    };
  }

  /**
   * Applies a full snapshot of a group taken at `seq`; keys it lacks are gone unless an event newer
   * than the snapshot holds them. Returns the held values it changed (events missed while the link
   * was down, say), to publish like events; keys seen for the first time are news to no one.
   */
  applySnapshot(
    groupID: string,
    counters: ReadonlyMap<string, bigint>,
    seq: number | undefined,
    at: number,
    inexactKeys: readonly string[] = [],
  ): CounterUpdate[] {
    const group = this.group(groupID, at);
    const changes: CounterUpdate[] = [];
    // The service's order, whatever order events brought the keys in: a table or chart built from it is the same every time.
    const ordered = new Map<string, HeldCounter>();
    for (const [key, value] of counters) {
      const held = group.counters.get(key);
      if (this.isStale(group, held, seq)) {
        if (held !== undefined) ordered.set(key, held);
        continue;
      }
      const inexact = inexactKeys.includes(key);
      ordered.set(key, { value, seq, inexact });
      if (held !== undefined && held.value !== value) {
        changes.push({ groupID, key, value: value.toString(), previous: held.value.toString(), at, ...(inexact && { inexact }) });
      }
    }
    for (const [key, held] of group.counters) {
      if (!ordered.has(key) && this.isNewer(held.seq, seq)) ordered.set(key, held);
    }
    group.counters = ordered;
    if (seq !== undefined) group.snapshotSeq = Math.max(group.snapshotSeq, seq);
    group.fetchedAt = at;
    group.everFetched = true;
    group.touchedAt = at;
    return changes;
  }

  /** The held value of one counter, if any. */
  value(groupID: string, key: string): bigint | undefined {
    return this.groups.get(groupID)?.counters.get(key)?.value;
  }

  /** The latest counter sequence seen for a group, if the service reports sequences. */
  sequence(groupID: string): number | undefined {
    const group = this.groups.get(groupID);
    if (group === undefined) return undefined;
    let latest = group.snapshotSeq > 0 ? group.snapshotSeq : undefined;
    for (const { seq } of group.counters.values()) {
      if (seq !== undefined && (latest === undefined || seq > latest)) latest = seq;
    }
    return latest;
  }

  /** Every held counter of a group, or the listed keys only. */
  values(groupID: string, keyList?: readonly string[]): Map<string, bigint> {
    const counters = this.groups.get(groupID)?.counters ?? new Map<string, HeldCounter>();
    const keys = keyList ?? [...counters.keys()];
    const result = new Map<string, bigint>();
    for (const key of keys) {
      const held = counters.get(key);
      if (held !== undefined) result.set(key, held.value);
    }
    return result;
  }

  /** Every counter held, of every group. */
  *all(): Generator<{ groupID: string; key: string; value: bigint }> {
    for (const [groupID, group] of this.groups) for (const [key, held] of group.counters) yield { groupID, key, value: held.value };
  }

  /** The keys of a group (or of the listed ones) whose values the service could not send exactly. */
  inexactKeys(groupID: string, keyList?: readonly string[]): string[] {
    const counters = this.groups.get(groupID)?.counters ?? new Map<string, HeldCounter>();
    return [...counters].filter(([key, held]) => held.inexact && (keyList === undefined || keyList.includes(key))).map(([key]) => key);
  }

  /** Whether a group was fetched in full and has been confirmed within the freshness window. */
  isFresh(groupID: string, now: number): boolean {
    const group = this.groups.get(groupID);
    return group?.fetchedAt != null && now - group.touchedAt < HELD_FRESH_MS;
  }

  /** Whether the group was ever read in full by this session. */
  hasSnapshot(groupID: string): boolean {
    return this.groups.get(groupID)?.everFetched === true;
  }

  /** Forgets that any group is complete and current (after a lost link), keeping the values. */
  markAllStale(): void {
    for (const group of this.groups.values()) group.fetchedAt = null;
  }

  /** Drops everything held (on sign-out). */
  clear(): void {
    this.groups.clear();
  }

  private group(groupID: string, at: number): HeldGroup {
    let group = this.groups.get(groupID);
    if (group === undefined) {
      group = { counters: new Map(), snapshotSeq: 0, fetchedAt: null, everFetched: false, touchedAt: at };
      this.groups.set(groupID, group);
    }
    return group;
  }

  private isStale(group: HeldGroup, held: HeldCounter | undefined, seq: number | undefined): boolean {
    if (seq === undefined || seq <= 0) return false;
    return seq < group.snapshotSeq || (held?.seq !== undefined && seq < held.seq);
  }

  private isNewer(heldSeq: number | undefined, snapshotSeq: number | undefined): boolean {
    return heldSeq !== undefined && snapshotSeq !== undefined && heldSeq > snapshotSeq;
  }
}
