import type { Browser, CDPSession, Page } from '@playwright/test';
import type { Core } from '../../electron/core/create-core';
import type { Unsubscribe } from '../../shared/counters-api';
import type { CounterUpdate } from '../../shared/types';
import { bridgeScript, DISPATCH_BINDING, EMIT_HOOK } from '../../test/e2e/bridge-script';
import { startEventStream } from './event-stream';
import { PROBE, probeScript, type HistorySpec, type ProbeReading } from './probe-script';

/** One page under test, bridged to the core like the end-to-end harness's, with the probe installed. */
export interface BenchPage {
  page: Page;
  /** Hands a batch to the page over its event stream. */
  sendBatch(updates: CounterUpdate[], sentAt: number): void;
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
  // The event stream is another port of 127.0.0.1, which the app's CSP (connect-src 'self') would refuse.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light', bypassCSP: true });
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

  const stream = await startEventStream();
  let closed = false;
  const push = (entry: Entry): void => {
    if (!closed) stream.send(JSON.stringify(entry));
  };
  const stops: Unsubscribe[] = [
    core.api.onSession((snapshot) => push(['onSession', snapshot, Date.now()])),
    core.api.onBudget((budget) => push(['onBudget', budget, Date.now()])),
  ];
  const cdp: CDPSession = await context.newCDPSession(page);
  const call = <T>(method: string, arg?: unknown): Promise<T> =>
    page.evaluate(([probe, name, value]) => (globalThis as unknown as Record<string, Record<string, (arg: unknown) => unknown>>)[probe]![name]!(value), [PROBE, method, arg] as const) as Promise<T>;

  await page.goto(url, { waitUntil: 'load' });
  await call<void>('listen', stream.url);
  return {
    page,
    sendBatch: (updates, sentAt) => push(['onCounterBatch', updates, sentAt]),
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
      stops.forEach((stop) => stop());
      release();
      await context.close().catch(() => {});
      await stream.close();
    },
  };
}
