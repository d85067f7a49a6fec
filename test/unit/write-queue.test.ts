import { describe, expect, it, vi } from 'vitest';
import { INT64_MAX } from '../../shared/limits';
import { Intent } from '../../electron/core/ledger/intent';
import { WriteQueue, type PlannedCall } from '../../electron/core/ledger/write-queue';

let nextID = 1;
const intent = (groupID = 'g', parts = 1) => new Intent(nextID++, groupID, 0, parts, vi.fn(), vi.fn());
const idle = () => false;
const describeCall = (call: PlannedCall | null) =>
  call === null
    ? null
    : call.kind === 'set'
      ? { set: Object.fromEntries(call.phases.map((phase) => [phase.key, phase.value])) }
      : { delta: call.phase.key, by: call.phase.value, intents: call.phase.parts.length };

describe('WriteQueue merging', () => {
  it('adds increases and decreases of one key into one net delta', () => {
    const queue = new WriteQueue();
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: 5n }, 'g', 1);
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: -2n }, 'g', 2);
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: 4n }, 'g', 3);
    expect(describeCall(queue.take(idle))).toEqual({ delta: 'likes', by: 7n, intents: 3 });
    expect(queue.take(idle)).toBeNull();
  });

  it('keeps a net-zero delta as a phase carrying its intents', () => {
    const queue = new WriteQueue();
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: 3n }, 'g', 1);
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: -3n }, 'g', 2);
    expect(describeCall(queue.take(idle))).toEqual({ delta: 'likes', by: 0n, intents: 2 });
  });

  it('merges sets on one group into one call, and lets a set override the deltas before it', () => {
    const queue = new WriteQueue();
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: 5n }, 'g', 1);
    queue.addSet({ intent: intent(), key: 'likes', kind: 'set', value: 100n }, 'g', 2);
    queue.addSet({ intent: intent(), key: 'gifts', kind: 'set', value: 7n }, 'g', 3);
    queue.addSet({ intent: intent('other'), key: 'likes', kind: 'set', value: 1n }, 'other', 4);
    const call = queue.take(idle);
    expect(describeCall(call)).toEqual({ set: { likes: 100n, gifts: 7n } });
    expect(call?.kind === 'set' && call.phases[0]!.parts).toHaveLength(2);
    expect(describeCall(queue.take(idle))).toEqual({ set: { likes: 1n } });
  });

  it('folds a later delta into a queued set while the sum stays in int64', () => {
    const queue = new WriteQueue();
    queue.addSet({ intent: intent(), key: 'likes', kind: 'set', value: 10n }, 'g', 1);
    queue.addDelta({ intent: intent(), key: 'likes', kind: 'delta', value: 2n }, 'g', 2);
    queue.addSet({ intent: intent(), key: 'edge', kind: 'set', value: INT64_MAX }, 'g', 3);
    queue.addDelta({ intent: intent(), key: 'edge', kind: 'delta', value: 1n }, 'g', 4);
    expect(describeCall(queue.take(idle))).toEqual({ set: { likes: 12n, edge: INT64_MAX } });
    expect(describeCall(queue.take(idle))).toEqual({ delta: 'edge', by: 1n, intents: 1 });
  });

  it('keeps per-key order: a busy key waits, other keys go first, oldest first', () => {
    const queue = new WriteQueue();
    queue.addDelta({ intent: intent(), key: 'a', kind: 'delta', value: 1n }, 'g', 1);
    queue.addDelta({ intent: intent(), key: 'b', kind: 'delta', value: 1n }, 'g', 2);
    expect(describeCall(queue.take((_, key) => key === 'a'))).toEqual({ delta: 'b', by: 1n, intents: 1 });
    expect(queue.take((_, key) => key === 'a')).toBeNull();
    expect(describeCall(queue.take(idle))).toEqual({ delta: 'a', by: 1n, intents: 1 });
  });

  it('puts refused phases back in front, and splits a failed merge into solo intents', () => {
    const queue = new WriteQueue();
    const first = intent();
    const second = intent();
    queue.addSet({ intent: first, key: 'a', kind: 'set', value: 1n }, 'g', 1);
    queue.addSet({ intent: second, key: 'b', kind: 'set', value: 2n }, 'g', 2);
    const call = queue.take(idle)!;
    queue.putBack(call.kind === 'set' ? call.phases : []);
    const again = queue.take(idle)!;
    expect(describeCall(again)).toEqual({ set: { a: 1n, b: 2n } });
    queue.splitBack(again.kind === 'set' ? again.phases : []);
    queue.addSet({ intent: intent(), key: 'c', kind: 'set', value: 3n }, 'g', 3);
    expect(describeCall(queue.take(idle))).toEqual({ set: { a: 1n } });
    expect(describeCall(queue.take(idle))).toEqual({ set: { b: 2n } });
    expect(describeCall(queue.take(idle))).toEqual({ set: { c: 3n } });
    expect(queue.isEmpty).toBe(true);
  });

  it('counts the intents still waiting', () => {
    const queue = new WriteQueue();
    const multi = intent('g', 2);
    queue.addSet({ intent: multi, key: 'a', kind: 'set', value: 1n }, 'g', 1);
    queue.addSet({ intent: multi, key: 'b', kind: 'set', value: 1n }, 'g', 1);
    queue.addDelta({ intent: intent(), key: 'c', kind: 'delta', value: 1n }, 'g', 2);
    expect(queue.waitingIntents()).toBe(2);
  });
});
