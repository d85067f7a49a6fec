import type { Browser, CDPSession, Page } from '@playwright/test';
import type { Core } from '../../electron/core/create-core';
import type { Unsubscribe } from '../../shared/counters-api';
import type { CounterUpdate } from '../../shared/types';
import { bridgeScript, DISPATCH_BINDING, EMIT_HOOK } from '../../test/e2e/bridge-script';
import { PROBE, probeScript, type HistorySpec, type ProbeReading } from './probe-script';

/** One page under test, bridged to the core like the end-to-end harness's, with the probe installed. */
export interface BenchPage {
  page: Page;
  /** Hands a batch to the page (queued; one `page.evaluate` per round trip, in order). */
  sendBatch(updates: CounterUpdate[], sentAt: number): void;
  /** Updates queued in this process and not yet handed over (a page that cannot keep up). */
  backlog(): number;
  /** Resolves once the page asked for its first group's counters (held until `releaseReads`). */
  readsHeld: Promise<void>;
  releaseReads(): void;
  history(spec: HistorySpec): Promise<void>;
  /** Records from `startAt` to `endAt` (wall-clock ms); read it with `collect` after. */
  arm(range: { startAt: number; endAt: number }): Promise<void>;
  collect(): Promise<ProbeReading>;
  /** JS heap and ArrayBuffer backing stores after a full collection, in bytes. */
  heap(): Promise<{ used: number; buffers: number }>;
  close(): Promise<void>;
}

type Entry = [name: string, payload: unknown, sentAt: number];

/**
 * Opens `url` in a fresh context: `window.countdeck` answers from `core` (its `getCounters` held until
 * released, so history can reach the stores before the table seeds them), the core's session and budget
 * events are forwarded, and counter batches come only from `sendBatch`/`history`.
 */
export async function openBenchPage(browser: Browser, core: Core, url: string): Promise<BenchPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`[renderer bench] page error: ${error.message}`));
  let release!: () => void;
  const released = new Promise<void>((done) => (release = done));
  let held!: () => void;
  const readsHeld = new Promise<void>((done) => (held = done));

  await page.exposeFunction(DISPATCH_BINDING, async (method: unknown, payload: unknown) => {
    if (method === 'getCounters') {
      held();
      await released;
    }
    return core.dispatch(method, payload);
  });
  await page.addInitScript(bridgeScript());
  await page.addInitScript(probeScript(EMIT_HOOK));

  let queue: Entry[] = [];
  let queued = 0;
  let running = false;
  let closed = false;
  const drain = async (): Promise<void> => {
    running = true;
    while (queue.length > 0 && !closed) {
      const entries = queue;
      queue = [];
      queued = 0;
      try {
        await page.evaluate(([probe, json]) => (globalThis as unknown as Record<string, { deliver(json: string): void }>)[probe]!.deliver(json), [PROBE, JSON.stringify(entries)] as const);
      } catch {
        // The page closed during delivery.
      }
    }
    running = false;
  };
  const push = (entry: Entry, size: number): void => {
    if (closed) return;
    queue.push(entry);
    queued += size;
    if (!running) void drain();
  };
  const stops: Unsubscribe[] = [
    core.api.onSession((snapshot) => push(['onSession', snapshot, Date.now()], 0)),
    core.api.onBudget((budget) => push(['onBudget', budget, Date.now()], 0)),
  ];
  const cdp: CDPSession = await context.newCDPSession(page);
  const call = <T>(method: string, arg?: unknown): Promise<T> =>
    page.evaluate(([probe, name, value]) => (globalThis as unknown as Record<string, Record<string, (arg: unknown) => unknown>>)[probe]![name]!(value), [PROBE, method, arg] as const) as Promise<T>;

  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    sendBatch: (updates, sentAt) => push(['onCounterBatch', updates, sentAt], updates.length),
    backlog: () => queued,
    readsHeld,
    releaseReads: release,
    history: (spec) => call<void>('history', spec),
    arm: (range) => call<void>('arm', range),
    collect: () => call<ProbeReading>('collect'),
    async heap() {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
      return { used: usage.usedSize, buffers: usage.backingStorageSize ?? 0 };
    },
    async close() {
      closed = true;
      queue = [];
      stops.forEach((stop) => stop());
      release();
      await context.close().catch(() => {});
    },
  };
}
