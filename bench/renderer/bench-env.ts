import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { openLocalService } from '../../electron/core/chat/local';
import { createCore, type Core } from '../../electron/core/create-core';
import { assertChromiumInstalled, chromiumLaunchOptions } from '../../test/e2e/chromium';
import { buildPage, type PageBuild } from '../../test/e2e/page-build';
import { startStaticServer, type StaticServer } from '../../test/e2e/static-server';
import { seeded, seriesLayout, SHOWN_GROUP, type SeriesRef } from './synthetic-stream';

/** The naive page's sources (index.html, main.ts). */
const NAIVE_SOURCE = resolve(import.meta.dirname, 'naive');

/** The built renderer (`npm run build` writes it); `COUNTDECK_BENCH_RENDERER_DIR` measures another build instead. */
export const RENDERER_DIR = resolve(process.env['COUNTDECK_BENCH_RENDERER_DIR'] || resolve(import.meta.dirname, '../../out/renderer'));

/** What every run shares: one browser, the two pages' servers, one core, the 400 series and their start values. */
export interface BenchEnv {
  browser: Browser;
  core: Core;
  appURL: string;
  naiveURL: string;
  layout: SeriesRef[];
  values: number[];
  close(): Promise<void>;
}

/**
 * Starts everything: a real core on an embedded demo service (the shown group given 20 keys), the built
 * renderer and the naive page on 127.0.0.1, and Debian's Chromium with the end-to-end launch options.
 */
export async function openBenchEnv(): Promise<BenchEnv> {
  if (!existsSync(resolve(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npm run build\` first.`);
  }
  assertChromiumInstalled();
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const service = await openLocalService({ seed: 'demo', log: () => {} });
    cleanups.push(() => service.close());
    const core = await createCore({ service, userID: 'operator' });
    cleanups.push(() => core.close());
    const shown = await core.api.getCounters({ groupID: SHOWN_GROUP });
    const layout = seriesLayout(Object.keys(shown.counters));
    const added = layout.filter(([groupID, key]) => groupID === SHOWN_GROUP && !Object.hasOwn(shown.counters, key));
    await core.api.setCounters({ groupID: SHOWN_GROUP, counters: Object.fromEntries(added.map(([, key], i) => [key, String(100 * (i + 1))])) });
    const after = await core.api.getCounters({ groupID: SHOWN_GROUP });
    const random = seeded(7);
    const values = layout.map(([groupID, key]) => (groupID === SHOWN_GROUP ? Number(after.counters[key]) : 100 + Math.floor(random() * 100_000)));

    const naive: PageBuild = await buildPage(NAIVE_SOURCE);
    cleanups.push(() => naive.remove());
    const appServer: StaticServer = await startStaticServer(RENDERER_DIR);
    cleanups.push(() => appServer.close());
    const naiveServer: StaticServer = await startStaticServer(naive.dir);
    cleanups.push(() => naiveServer.close());
    const browser = await chromium.launch(chromiumLaunchOptions());
    cleanups.push(() => browser.close());
    return {
      browser,
      core,
      appURL: `${appServer.origin}/index.html`,
      naiveURL: `${naiveServer.origin}/index.html`,
      layout,
      values,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
