import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, test as base, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { openLocalService, type LocalService } from '../../electron/core/chat/local';
import { createCore, type Core } from '../../electron/core/create-core';
import type { Logger } from '../../electron/core/logger';
import type { CountersApi, Unsubscribe } from '../../shared/counters-api';
import { API_EVENTS, type ApiEvent } from '../../shared/ipc-contract';
import { bridgeScript, DISPATCH_BINDING, EMIT_HOOK } from './bridge-script';
import { assertChromiumInstalled, chromiumLaunchOptions } from './chromium';
import { startStaticServer, type StaticServer } from './static-server';

/** The built renderer (`npm run build` writes it). */
export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

export interface LaunchOptions {
  /** An embedded service to attach to (e.g. shared with a second user); default: a fresh demo one. */
  service?: LocalService;
  /** A profile's data folder: the core opens its database there, and its embedded service on it (instead of `service`). */
  dataDir?: string;
  /** The user the core signs in as; default 'operator'. */
  userID?: string;
  /** Start the service's traffic simulator; default false. */
  simulate?: boolean;
  colorScheme?: 'light' | 'dark';
  /** The browser's locale; default 'en-US'. */
  locale?: string;
  /** Default 1440×900. */
  viewport?: { width: number; height: number };
  /** How long a Tencent Cloud sign-in may take (no network here: it always fails). */
  tencentSignInTimeoutMs?: number;
}

/** One call the page sent to the core, exactly as the core received it. */
export interface DispatchedCall {
  method: string;
  payload: unknown;
}

export interface App {
  page: Page;
  /** A real core on the real clock: `core.api` is what `window.countdeck` talks to. */
  core: Core;
  service: LocalService;
  /** Every call the page sent to the core, in order. */
  dispatched: DispatchedCall[];
  /** Uncaught errors of the page (a listener that threw among them). */
  pageErrors: Error[];
  /** Closes the page and its context, the core, and the service if launchApp opened it. */
  close(): Promise<void>;
}

/** What a scenario's `page.evaluate` callbacks see of the page: `declare const window: CountdeckWindow`. */
export interface CountdeckWindow {
  countdeck: CountersApi;
}

interface Shared {
  server: StaticServer;
  browser: Browser;
}

let shared: Promise<Shared> | null = null;

async function openShared(): Promise<Shared> {
  if (!existsSync(resolve(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npm run build\` first.`);
  }
  assertChromiumInstalled();
  const server = await startStaticServer(RENDERER_DIR);
  try {
    return { server, browser: await chromium.launch(chromiumLaunchOptions()) };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The worker's static server and browser, started on first use (and again if the browser died). */
async function sharedResources(): Promise<Shared> {
  const current = await (shared ??= openShared().catch((error: unknown) => {
    shared = null;
    throw error;
  }));
  if (current.browser.isConnected()) return current;
  await current.server.close();
  shared = null;
  return sharedResources();
}

/** Stops the worker's browser and static server; `test` below calls it when the worker ends. */
export async function closeSharedResources(): Promise<void> {
  const current = shared;
  shared = null;
  if (current === null) return;
  const { server, browser } = await current.catch(() => ({ server: null, browser: null }));
  await browser?.close().catch(() => {});
  await server?.close();
}

/**
 * Hands core events to the page in order: payloads queue up and go over in one `page.evaluate`
 * per round trip. A failed delivery (the page navigating or closed) is dropped, never thrown —
 * as with Electron, an event sent while no page listens is lost.
 */
class EventPump {
  private queue: [ApiEvent, unknown][] = [];
  private running = false;
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly page: Page) {}

  push(name: ApiEvent, payload: unknown): void {
    if (this.stopped) return;
    this.queue.push([name, payload]);
    if (this.running) return;
    this.running = true;
    this.draining = this.drain();
  }

  /** Stops accepting events and waits for the delivery under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped && !this.page.isClosed()) {
        const items = this.queue;
        this.queue = [];
        try {
          await this.page.evaluate(
            ([hook, batch]) => {
              const emit = (globalThis as Record<string, unknown>)[hook];
              if (typeof emit === 'function') emit(batch);
            },
            [EMIT_HOOK, items] as const,
          );
        } catch {
          // The page navigated or closed during delivery: these events had nobody to hear them.
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** Opens the built renderer in a fresh browser context, bridged to a real core; see `App`. */
export async function launchApp(options: LaunchOptions = {}): Promise<App> {
  const { server, browser } = await sharedResources();
  const ownService = options.service === undefined && options.dataDir === undefined;
  const given = options.service ?? (ownService ? openLocalService({ seed: 'demo', log: quietLog }) : undefined);
  const cleanups: (() => Promise<void> | void)[] = [];
  if (ownService) cleanups.push(() => given?.close());

  const closeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Closing what is already gone is not a failure.
      }
    }
  };

  try {
    const core = await createCore({
      service: given,
      dataDir: options.dataDir,
      log: options.dataDir === undefined ? undefined : quietLogger,
      userID: options.userID ?? 'operator',
      simulate: options.simulate ?? false,
      tencentSignInTimeoutMs: options.tencentSignInTimeoutMs,
    });
    cleanups.push(() => core.close());
    const context: BrowserContext = await browser.newContext({
      viewport: options.viewport ?? { width: 1440, height: 900 },
      locale: options.locale ?? 'en-US',
      colorScheme: options.colorScheme ?? 'light',
    });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));

    // Both before the first navigation, so the bridge exists before any page script runs; and in this
    // order: the init script takes the exposed binding off `window` (it runs after the binding's own script).
    const dispatched: DispatchedCall[] = [];
    await page.exposeFunction(DISPATCH_BINDING, (method: unknown, payload: unknown) => {
      dispatched.push({ method: String(method), payload });
      return core.dispatch(method, payload);
    });
    await page.addInitScript(bridgeScript());

    const pump = new EventPump(page);
    const stops: Unsubscribe[] = API_EVENTS.map((name) => core.api[name]((payload: unknown) => pump.push(name, payload)));
    cleanups.push(async () => {
      stops.forEach((stop) => stop());
      await pump.stop();
    });

    await page.goto(`${server.origin}/index.html`, { waitUntil: 'load' });
    return { page, core, service: core.service, dispatched, pageErrors, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function quietLog(level: 'info' | 'warn' | 'error', message: string): void {
  if (level !== 'info') console[level](`[local chat] ${message}`);
}

const quietLogger: Logger = { info: () => {}, warn: (message) => quietLog('warn', message), error: (message) => quietLog('error', message) };

/** `@playwright/test`'s `test`, closing the worker's shared browser and server when the worker ends. */
export const test = base.extend<object, { countdeckShared: void }>({
  countdeckShared: [
    async ({}, use) => {
      await use();
      await closeSharedResources();
    },
    { scope: 'worker', auto: true },
  ],
});

export { expect } from '@playwright/test';
