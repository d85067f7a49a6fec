import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { createCoreFixture } from '../support/core-fixture';

const GROUPS = ['live-friday', 'fan-club'] as const;
const KEYS = ['likes', 'gifts', 'p1', 'p2'] as const;

const intentArb = fc.record({
  waitMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3_000 })),
  kind: fc.constantFrom('set', 'increase', 'decrease'),
  groupID: fc.constantFrom(...GROUPS),
  key: fc.constantFrom(...KEYS),
  amount: fc.bigInt({ min: 1n, max: 1_000n }),
});

describe('the ledger under random intents at random times (fake clock)', () => {
  it('never meets a refusal, loses nothing, applies nothing twice, and settles every promise', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(intentArb, { minLength: 1, maxLength: 150, size: 'max' }), fc.integer({ min: 0, max: 120 }), async (intents, latencyMs) => {
        const fixture = await createCoreFixture(latencyMs);
        try {
          const core = await fixture.attach('operator');
          const expected = new Map<string, bigint>();
          const slot = (groupID: string, key: string) => `${groupID}/${key}`;
          const outcomes: Promise<'ok' | number>[] = [];
          for (const intent of intents) {
            const { groupID, key, amount } = intent;
            const id = slot(groupID, key);
            const current = expected.get(id) ?? fixture.service.counters(groupID).get(key) ?? 0n;
            const value = amount.toString();
            let call: Promise<unknown>;
            if (intent.kind === 'set') {
              expected.set(id, amount);
              call = core.api.setCounters({ groupID, counters: { [key]: value } });
            } else if (intent.kind === 'increase') {
              expected.set(id, current + amount);
              call = core.api.increaseCounter({ groupID, key, value });
            } else {
              expected.set(id, current - amount);
              call = core.api.decreaseCounter({ groupID, key, value });
            }
            outcomes.push(call.then(() => 'ok' as const, (error: { code: number }) => error.code));
            await fixture.clock.advance(intent.waitMs);
          }
          await fixture.clock.advance(30_000);
          const settled = await Promise.race([Promise.all(outcomes), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2_000))]);

          expect(settled).not.toBe('hung');
          expect(settled).not.toContain(ErrorCode.OVER_FREQUENCY_LIMIT);
          expect(settled).toEqual(outcomes.map(() => 'ok'));
          expect(core.writeJournal.recent().filter((entry) => entry.outcome === 'refused')).toEqual([]);
          for (const [id, value] of expected) {
            const [groupID, key] = id.split('/') as [string, string];
            // Changes that cancel out are never sent (DESIGN §4), so a key they would create stays absent.
            expect(fixture.service.counters(groupID).get(key) ?? 0n, id).toBe(value);
          }
        } finally {
          await fixture.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
