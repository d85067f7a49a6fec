import { openLocalService } from '../electron/core/chat/local';
import { createCore } from '../electron/core/create-core';
import { createFakeClock, type FakeClock } from '../test/support/fake-clock';
import { figure, median, percentile, ratio, type Section } from './report';

/** An operator's intent: a set, or a change by a signed delta, at a moment. */
interface Intent {
  at: number;
  groupID: string;
  key: string;
  kind: 'set' | 'change';
  value: bigint;
}

interface Outcome {
  calls: number;
  lost: number;
  refusals: number;
  delays: number[];
}

/** The steady stream goes to the demo live room; the burst to a fresh group, so its 20 keys are all the group holds. */
const LIVE = 'live-friday';
const BURST = 'burst-room';
const LATENCY_MS = 40;
const RUNS = 5;

/** A seeded random source, so each run is repeatable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 1,000 increments spread over 5 s, over 3 keys. */
function steadyIncrements(random: () => number): Intent[] {
  return Array.from({ length: 1_000 }, (_, i) => ({
    at: Math.floor(i * 5 + random() * 5),
    groupID: LIVE,
    key: ['likes', 'gifts', 'viewers'][i % 3]!,
    kind: 'change' as const,
    value: 1n,
  }));
}

/** A burst: 400 mixed sets and changes over 20 keys within one second. */
function mixedBurst(random: () => number): Intent[] {
  return Array.from({ length: 400 }, () => {
    const set = random() < 0.2;
    return {
      at: Math.floor(random() * 1_000),
      groupID: BURST,
      key: `k${Math.floor(random() * 20)}`,
      kind: set ? ('set' as const) : ('change' as const),
      value: set ? BigInt(Math.floor(random() * 1_000)) : BigInt(Math.floor(random() * 9) - 4 || 1),
    };
  }).sort((a, b) => a.at - b.at);
}

/** Sends each intent at its moment, then lets fake time run until every one has settled. */
async function play(clock: FakeClock, intents: readonly Intent[], send: (intent: Intent) => Promise<unknown>): Promise<Outcome> {
  const delays: number[] = [];
  let lost = 0;
  let settled = 0;
  const base = clock.now();
  for (const intent of intents) {
    await clock.advance(Math.max(0, base + intent.at - clock.now()));
    const sentAt = clock.now();
    send(intent).then(
      () => void delays.push(clock.now() - sentAt),
      () => void (lost += 1),
    ).finally(() => (settled += 1));
  }
  while (settled < intents.length) await clock.advance(100);
  return { calls: 0, lost, refusals: 0, delays };
}

const START = Date.UTC(2026, 10, 23, 12, 0, 0);

/** The embedded service on a fake clock, with the burst's group. */
async function openService(clock: FakeClock) {
  const service = await openLocalService({ clock, latencyMs: LATENCY_MS, log: () => {} });
  service.createGroup({ groupID: BURST, name: 'Burst Room', type: 'AVChatRoom', members: ['operator'] });
  return service;
}

/** Through Countdeck's ledger: merged, paced within the budget, never refused. */
async function throughLedger(intents: readonly Intent[]): Promise<Outcome> {
  const clock = createFakeClock(START);
  const service = await openService(clock);
  const starting = createCore({ clock, service, userID: 'operator' });
  await clock.advance(LATENCY_MS * 4);
  const core = await starting;
  await clock.advance(LATENCY_MS * 4);
  const before = core.writeJournal.recent().length;
  const outcome = await play(clock, intents, ({ groupID, key, kind, value }) =>
    kind === 'set'
      ? core.api.setCounters({ groupID, counters: { [key]: value.toString() } })
      : value > 0n
        ? core.api.increaseCounter({ groupID, key, value: value.toString() })
        : core.api.decreaseCounter({ groupID, key, value: (-value).toString() }),
  );
  const calls = core.writeJournal.recent().slice(before);
  const closing = core.close().then(() => service.close());
  await clock.advance(1_000);
  await closing;
  return { ...outcome, calls: calls.length, refusals: calls.filter((entry) => entry.outcome === 'refused').length };
}

/** The naive path: one SDK call per intent, as it comes, with no budget and no merging. */
async function naive(intents: readonly Intent[]): Promise<Outcome> {
  const clock = createFakeClock(START);
  const service = await openService(clock);
  const client = service.createClient();
  const login = client.login({ userID: 'operator', userSig: 'bench' });
  await clock.advance(LATENCY_MS * 4);
  await login;
  let refusals = 0;
  const outcome = await play(clock, intents, ({ groupID, key, kind, value }) => {
    const call =
      kind === 'set'
        ? client.setGroupCounters({ groupID, counters: { [key]: value } })
        : value > 0n
          ? client.increaseGroupCounter({ groupID, key, value })
          : client.decreaseGroupCounter({ groupID, key, value: -value });
    return call.catch((error: { code?: number }) => {
      if (error.code === 2996) refusals += 1;
      throw error;
    });
  });
  const closing = client.destroy().then(() => service.close());
  await clock.advance(1_000);
  await closing;
  return { ...outcome, calls: intents.length, refusals };
}

function row(path: string, outcomes: readonly Outcome[]): (string | number)[] {
  const pick = (read: (outcome: Outcome) => number) => median(outcomes.map(read));
  return [
    path,
    figure(pick((o) => o.calls)),
    figure(pick((o) => o.lost)),
    figure(pick((o) => o.refusals)),
    figure(pick((o) => percentile(o.delays, 50))),
    figure(pick((o) => percentile(o.delays, 95))),
  ];
}

/** The ledger's figures, side by side with one call per intent. */
export async function benchLedger(): Promise<Section[]> {
  const sections: Section[] = [];
  for (const [name, make] of [
    ['1,000 increments over 5 s on 3 keys', steadyIncrements],
    ['a burst of 400 mixed sets and changes within 1 s on 20 keys', mixedBurst],
  ] as const) {
    const ledger: Outcome[] = [];
    const direct: Outcome[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const intents = make(seeded(run + 1));
      ledger.push(await throughLedger(intents));
      direct.push(await naive(intents));
    }
    const callsRatio = ratio(median(ledger.map((o) => o.calls)), median(direct.map((o) => o.calls)));
    sections.push({
      title: `Ledger: ${name}`,
      about: `Intents in versus SDK calls out, on a fake clock with ${LATENCY_MS} ms service latency; medians of ${RUNS} seeded runs. Lost: intents that never took effect. Delay: from the intent to its confirmation.`,
      columns: ['path', 'SDK calls', 'intents lost', '2996 seen', 'delay p50 (ms)', 'delay p95 (ms)'],
      rows: [row('Countdeck ledger', ledger), row('one call per intent', direct), ['ratio (calls)', callsRatio, '', '', '', '']],
    });
  }
  return sections;
}
