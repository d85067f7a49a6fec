import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetModel } from '../../electron/core/ledger/budget-model';
import { FixedWindow } from '../../electron/core/fixed-window';

describe('FixedWindow (the SDK algorithm)', () => {
  it('refuses the 21st call, counts refusals, and reopens only more than 5000 ms after opening', () => {
    const window = new FixedWindow(20, 5000);
    for (let i = 0; i < 20; i += 1) expect(window.call(1000 + i)).toBe(true);
    expect(window.call(1100)).toBe(false);
    expect(window.used(1100)).toBe(21);
    expect(window.call(6000)).toBe(false); // exactly 5000 ms after: still the same window
    expect(window.call(6001)).toBe(true);
    expect(window.used(6001)).toBe(1);
  });
});

describe('BudgetModel', () => {
  const model = (burst = 20) => new BudgetModel({ limit: 20, windowMs: 5000, marginMs: 100, burst });

  it('sends 20 at once, then waits until just past the stretched window', () => {
    const budget = model();
    for (let i = 0; i < 20; i += 1) {
      expect(budget.canSend(0)).toBe(true);
      budget.record(0);
    }
    expect(budget.canSend(4999)).toBe(false);
    expect(budget.nextSlotAt(10)).toBe(5101);
    expect(budget.snapshot(10, 3, 1)).toMatchObject({ used: 20, left: 0, windowEndsAt: 5100, nextSlotAt: 5101, queued: 3, inFlight: 1 });
  });

  it('never lets through a call the SDK window would refuse, whatever the timing', () => {
    // Attempts at arbitrary times; the SDK reads its clock up to the margin later than the model.
    const attempts = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 700 }), lag: fc.integer({ min: 0, max: 100 }) }), {
      minLength: 50,
      maxLength: 400,
    });
    fc.assert(
      fc.property(attempts, fc.integer({ min: 0, max: 20 }), (steps, burst) => {
        const budget = model(burst);
        const sdk = new FixedWindow(20, 5000);
        let now = 0;
        for (const { gap, lag } of steps) {
          now += gap;
          if (!budget.canSend(now)) continue;
          budget.record(now);
          expect(sdk.call(now + lag)).toBe(true);
        }
      }),
    );
  });

  it('paces calls after the burst across the rest of the window', () => {
    const budget = model(10);
    for (let i = 0; i < 10; i += 1) budget.record(0);
    const slots: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const at = budget.nextSlotAt(0);
      slots.push(at);
      budget.record(at);
    }
    expect(slots[0]).toBeGreaterThan(0);
    expect(slots[9]).toBeLessThan(5100);
    for (let i = 1; i < slots.length; i += 1) expect(slots[i]! - slots[i - 1]!).toBeGreaterThan(400);
  });

  it('after a refusal waits a whole window and reports the refusals', () => {
    const budget = model();
    budget.record(0);
    budget.refused(50);
    expect(budget.canSend(5000)).toBe(false);
    expect(budget.snapshot(60, 0, 0)).toMatchObject({ left: 0, refusals: 1 });
    expect(budget.canSend(5151)).toBe(true);
    budget.accepted();
    expect(budget.refusals).toBe(0);
  });
});
