import { INT64_MAX } from '../../../shared/limits';
import { isInt64 } from '../../../shared/int64';
import type { Intent } from './intent';

/** One intent's share of a key: what it asked for, kept so a failed merge can be undone. */
export interface Part {
  intent: Intent;
  key: string;
  kind: 'set' | 'delta';
  value: bigint;
}

/** Queued work on one key: set it to `value`, or change it by `value` (signed). */
export interface Phase {
  groupID: string;
  key: string;
  kind: 'set' | 'delta';
  value: bigint;
  parts: Part[];
  /** Set after a merged call failed: this intent's parts travel alone, never merged with others. */
  solo: Intent | null;
  /** When its oldest part was queued; calls go out oldest first. */
  since: number;
}

/** The next call to make: one setGroupCounters for several keys, or one delta on one key. */
export type PlannedCall =
  | { kind: 'set'; groupID: string; phases: Phase[] }
  | { kind: 'delta'; groupID: string; phase: Phase };

const slot = (groupID: string, key: string): string => `${groupID}\u0000${key}`;

/**
 * The write queue with merging of intents. Per key it keeps an ordered list of phases; a new set
 * overrides the phases queued before it, a delta folds into the phase before it when the sum stays
 * in range, and sets on one group leave together as one call.
 */
export class WriteQueue {
  private readonly slots = new Map<string, Phase[]>();

  /** Queues one key of a set intent. */
  addSet(part: Part, groupID: string, now: number): void {
    const phases = this.phases(groupID, part.key);
    let since = now;
    const carried: Part[] = [];
    while (phases.length > 0 && phases[phases.length - 1]!.solo === null) {
      const overridden = phases.pop()!;
      since = Math.min(since, overridden.since);
      carried.push(...overridden.parts);
    }
    phases.push({ groupID, key: part.key, kind: 'set', value: part.value, parts: [...carried, part], solo: null, since });
  }

  /** Queues a signed change of one key. */
  addDelta(part: Part, groupID: string, now: number): void {
    const phases = this.phases(groupID, part.key);
    const last = phases[phases.length - 1];
    if (last !== undefined && last.solo === null) {
      const merged = last.value + part.value;
      const fits = last.kind === 'set' ? isInt64(merged) : merged >= -INT64_MAX && merged <= INT64_MAX;
      if (fits) {
        last.value = merged;
        last.parts.push(part);
        return;
      }
    }
    phases.push({ groupID, key: part.key, kind: 'delta', value: part.value, parts: [part], solo: null, since: now });
  }

  /** Takes the next call out of the queue: the oldest phase whose key is not busy, with its companions. */
  take(isBusy: (groupID: string, key: string) => boolean): PlannedCall | null {
    let oldest: Phase | undefined;
    for (const phases of this.slots.values()) {
      const head = phases[0]!;
      if (!isBusy(head.groupID, head.key) && (oldest === undefined || head.since < oldest.since)) oldest = head;
    }
    if (oldest === undefined) return null;
    if (oldest.kind === 'delta') {
      this.shift(oldest);
      return { kind: 'delta', groupID: oldest.groupID, phase: oldest };
    }
    const companions: Phase[] = [];
    for (const phases of this.slots.values()) {
      const head = phases[0]!;
      const travelsTogether =
        head.kind === 'set' && head.groupID === oldest.groupID && head.solo === oldest.solo && !isBusy(head.groupID, head.key);
      if (travelsTogether) companions.push(head);
    }
    for (const phase of companions) this.shift(phase);
    return { kind: 'set', groupID: oldest.groupID, phases: companions };
  }

  /** Returns phases to the front of their keys, as they were (the call was refused and must go again). */
  putBack(phases: readonly Phase[]): void {
    for (const phase of phases) this.phases(phase.groupID, phase.key).unshift(phase);
  }

  /** Re-queues the parts of a failed merged call so each intent travels alone, in the order they came. */
  splitBack(phases: readonly Phase[]): void {
    const parts = phases.flatMap((phase) => phase.parts).filter((part) => !part.intent.settled);
    const byKey = new Map<string, Part[]>();
    for (const part of parts.sort((a, b) => a.intent.id - b.intent.id)) {
      const id = slot(part.intent.groupID, part.key);
      byKey.set(id, [...(byKey.get(id) ?? []), part]);
    }
    for (const keyParts of byKey.values()) {
      const solo = keyParts.map(
        (part): Phase => ({
          groupID: part.intent.groupID,
          key: part.key,
          kind: part.kind,
          value: part.value,
          parts: [part],
          solo: part.intent,
          since: part.intent.enqueuedAt,
        }),
      );
      this.putBack(solo.reverse());
    }
  }

  /** Intents with at least one part still waiting. */
  waitingIntents(): number {
    const intents = new Set<Intent>();
    for (const phases of this.slots.values()) {
      for (const phase of phases) for (const part of phase.parts) intents.add(part.intent);
    }
    return intents.size;
  }

  /** The keys of a group with something waiting. */
  waitingKeys(groupID: string): string[] {
    return [...this.slots.values()].filter((phases) => phases[0]!.groupID === groupID).map((phases) => phases[0]!.key);
  }

  /** Every part still waiting. */
  waitingParts(): Part[] {
    return [...this.slots.values()].flat().flatMap((phase) => phase.parts);
  }

  /** Takes every part still waiting out of the queue, for shutdown. */
  drain(): Part[] {
    const parts = this.waitingParts();
    this.slots.clear();
    return parts;
  }

  get isEmpty(): boolean {
    return this.slots.size === 0;
  }

  private phases(groupID: string, key: string): Phase[] {
    const id = slot(groupID, key);
    let phases = this.slots.get(id);
    if (phases === undefined) {
      phases = [];
      this.slots.set(id, phases);
    }
    return phases;
  }

  private shift(phase: Phase): void {
    const id = slot(phase.groupID, phase.key);
    const phases = this.slots.get(id)!;
    phases.shift();
    if (phases.length === 0) this.slots.delete(id);
  }
}
