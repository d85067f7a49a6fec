import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { createCore, type Core } from '../../electron/core/create-core';
import { silentLogger } from '../../electron/core/logger';
import type { Unsubscribe } from '../../shared/counters-api';
import { API_EVENTS, type ApiEvent } from '../../shared/ipc-contract';
import { bridgeScript, DISPATCH_BINDING, EMIT_HOOK } from '../../test/e2e/bridge-script';
import { assertChromiumInstalled, chromiumLaunchOptions } from '../../test/e2e/chromium';
import { startStaticServer, type StaticServer } from '../../test/e2e/static-server';
import { RENDERER_DIR } from '../renderer/bench-env';

/** The page global the probe below keeps its times in. */
const PROBE = '__countdeckColdStart';
/** A picture of the lines with at least this many coordinates (x and y) is one drawn from stored history: before it, each line holds its seed point only. */
const HISTORY_COORDS = 2_000;

/**
 * Before the bridge (it takes the binding it wraps): parses the binding's replies (JSON text, see
 * `paintedStart`), notes when each `getHistory` answer reaches the page, and every message to and from the chart's lines worker: when it was posted, how many
 * coordinates a picture held and whether it was whole, and when the worker said it was drawn. All
 * times are wall-clock ms (`performance.timeOrigin + performance.now()`).
 */
function probeScript(): string {
  const config = JSON.stringify({ probe: PROBE, dispatch: DISPATCH_BINDING });
  return `(() => {
  'use strict';
  if (window !== window.top) return;
  const config = ${config};
  const wall = () => performance.timeOrigin + performance.now();
  const probe = { histories: [], posts: [], answers: [] };
  Object.defineProperty(window, config.probe, { value: probe });
  const dispatch = window[config.dispatch];
  if (typeof dispatch === 'function') {
    window[config.dispatch] = async (method, payload) => {
      const asked = wall();
      const result = JSON.parse(await dispatch(method, payload));
      if (method === 'getHistory') probe.histories.push({ asked, answered: wall(), span: payload.to - payload.from, keys: payload.keys.length, maxPoints: payload.maxPoints });
      return result;
    };
  }
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (options?.name !== 'chart lines') return;
      this.addEventListener('message', () => probe.answers.push(wall()));
      const post = this.postMessage.bind(this);
      this.postMessage = (message, transfer) => {
        const frame = message?.frame;
        probe.posts.push({ at: wall(), coords: frame ? frame.coords.length : 0, whole: frame ? frame.stripFrom === null : false });
        return post(message, transfer);
      };
    }
  };
})();`;
}

interface Probe {
  histories: { asked: number; answered: number; span: number; keys: number; maxPoints: number }[];
  posts: { at: number; coords: number; whole: boolean }[];
  answers: number[];
}

export interface PaintedStart {
  /** ms from calling createCore (wall clock) to: the core ready, the page loaded, the 5 min history asked and answered in the page, the lines drawn from it. */
  core: number;
  loaded: number;
  historyAsked: number;
  historyAnswered: number;
  painted: number;
  /** The request the page made: keys and points. */
  keys: number;
  maxPoints: number;
}

/** A browser and the built renderer's server, shared by the runs. */
export interface PaintBench {
  start(dataDir: string): Promise<PaintedStart>;
  close(): Promise<void>;
}

/** Opens Chromium (headless, the end-to-end flags) and serves the built renderer; throws if either is missing. */
export async function openPaintBench(): Promise<PaintBench> {
  if (!existsSync(resolve(RENDERER_DIR, 'index.html'))) throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npm run build\` first.`);
  assertChromiumInstalled();
  const server: StaticServer = await startStaticServer(RENDERER_DIR);
  let browser: Browser;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    start: (dataDir) => paintedStart(browser, `${server.origin}/index.html`, dataDir),
    close: async () => {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/**
 * One start of the app on a profile, as the end-to-end harness opens it but with the core on the
 * profile's data folder (the harness's `launchApp` takes a service): `createCore({ dataDir })`, then
 * a fresh page of the built renderer bridged to it, events forwarded in order. Ends once the lines
 * worker has drawn a whole picture made from the stored history of the 5 min window.
 */
async function paintedStart(browser: Browser, url: string, dataDir: string): Promise<PaintedStart> {
  const started = Date.now();
  const core: Core = await createCore({ dataDir, log: silentLogger });
  const ready = Date.now();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
  const stops: Unsubscribe[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.warn(`[history bench] page error: ${error.message}`));
    const calls: { method: string; asked: number; answered: number }[] = [];
    await page.exposeFunction(DISPATCH_BINDING, async (method: unknown, payload: unknown) => {
      const asked = Date.now();
      // As JSON text: Playwright's own serialisation of a nested reply (the 5 min history: 20 keys × 300 buckets) took 0.5–0.8 s, far from Electron's IPC.
      const result = JSON.stringify(await core.dispatch(method, payload));
      calls.push({ method: String(method), asked: asked - started, answered: Date.now() - started });
      return result;
    });
    await page.addInitScript(probeScript());
    await page.addInitScript(bridgeScript());
    const pump = eventPump(page);
    for (const name of API_EVENTS) stops.push(core.api[name]((payload: unknown) => pump(name, payload)));
    await page.goto(url, { waitUntil: 'load' });
    const loaded = Date.now();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const probe = (await page.evaluate((name) => (globalThis as unknown as Record<string, unknown>)[name], PROBE)) as Probe;
      const found = paintedFrom(probe);
      if (found !== null) {
        if (process.env['COUNTDECK_BENCH_CALLS']) console.log(calls);
        return {
          core: ready - started,
          loaded: loaded - started,
          historyAsked: found.history.asked - started,
          historyAnswered: found.history.answered - started,
          painted: found.painted - started,
          keys: found.history.keys,
          maxPoints: found.history.maxPoints,
        };
      }
      if (Date.now() > deadline) throw new Error(`no picture from stored history within 30 s: ${JSON.stringify({ histories: probe.histories, posts: probe.posts.length })}`);
      await new Promise((done) => setTimeout(done, 20));
    }
  } finally {
    for (const stop of stops) stop();
    await context.close().catch(() => {});
    await core.close();
  }
}

/** The first 5 min history answer and the worker's answer to the first whole picture drawn from it, or null if not yet. */
function paintedFrom(probe: Probe): { history: Probe['histories'][number]; painted: number } | null {
  const history = probe.histories.find((one) => one.span === 5 * 60_000);
  if (history === undefined) return null;
  // Answers come in the order of the posts, one per message (the canvas's first).
  const index = probe.posts.findIndex((post) => post.at >= history.answered && post.whole && post.coords >= HISTORY_COORDS);
  if (index === -1 || probe.answers[index] === undefined) return null;
  return { history, painted: probe.answers[index] };
}

/** Hands core events to the page in order, one `page.evaluate` per round of queued ones (as the harness's pump). */
function eventPump(page: Page): (name: ApiEvent, payload: unknown) => void {
  let queue: [ApiEvent, unknown][] = [];
  let running = false;
  const drain = async (): Promise<void> => {
    running = true;
    try {
      while (queue.length > 0 && !page.isClosed()) {
        const items = queue;
        queue = [];
        await page
          .evaluate(([hook, batch]) => {
            const emit = (globalThis as Record<string, unknown>)[hook];
            if (typeof emit === 'function') emit(batch);
          }, [EMIT_HOOK, items] as const)
          .catch(() => {});
      }
    } finally {
      running = false;
    }
  };
  return (name, payload) => {
    queue.push([name, payload]);
    if (!running) void drain();
  };
}
