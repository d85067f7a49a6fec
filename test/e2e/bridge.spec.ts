import { request } from 'node:http';
import { API_EVENTS, API_METHODS } from '../../shared/ipc-contract';
import type { CounterBatch } from '../../shared/types';
import { expect, launchApp, RENDERER_DIR, test, type App, type CountdeckWindow } from './harness';
import { startStaticServer } from './static-server';

/** The page globals these scenarios touch (the node config has no DOM types). */
declare const window: CountdeckWindow & { seen: CounterBatch[] };


/** Runs a scenario against a freshly launched app and always closes it. */
async function withApp(scenario: (app: App) => Promise<void>): Promise<void> {
  const app = await launchApp();
  try {
    await scenario(app);
  } finally {
    await app.close();
  }
}

test('the core receives the calls the page makes at start-up', async () => {
  await withApp(async ({ page, dispatched }) => {
    await expect(page.getByRole('heading', { name: 'Friday Night Live' })).toBeVisible();
    const methods = dispatched.map((call) => call.method);
    expect(methods).toContain('getSession');
    expect(methods).toContain('listGroups');
  });
});

test.describe('the bridge behaves like the preload', () => {
  test('a refused call rejects with the plain error the core answered', async () => {
    await withApp(async ({ page, core }) => {
      const request = { groupID: 'live-friday', key: 'likes', value: '0' };
      const refusal = await page.evaluate(
        (payload) =>
          window.countdeck.increaseCounter(payload).then(
            () => null,
            (error: unknown) => ({ error, isError: error instanceof Error }),
          ),
        request,
      );
      const answer = await core.dispatch('increaseCounter', request);
      expect(answer.ok).toBe(false);
      expect(refusal).toEqual({ error: answer.ok ? null : answer.error, isError: false });
    });
  });

  test('core events reach page listeners in order, and unsubscribe stops them', async () => {
    await withApp(async ({ page, core }) => {
      await page.evaluate(() => {
        const seen: CounterBatch[] = [];
        const stop = window.countdeck.onCounterBatch((batch) => {
          seen.push(batch);
          if (seen.length >= 3) stop();
        });
        window.seen = seen;
      });
      for (let i = 0; i < 5; i += 1) {
        await core.api.increaseCounter({ groupID: 'live-friday', key: 'likes', value: '1' });
        await new Promise((done) => setTimeout(done, 80));
      }
      await expect.poll(() => page.evaluate(() => window.seen.length)).toBe(3);
      await new Promise((done) => setTimeout(done, 300));
      const seqs = await page.evaluate(() => window.seen.map((batch) => batch.seq));
      expect(seqs).toHaveLength(3);
      const first = seqs[0] ?? 0;
      expect(seqs).toEqual([first, first + 1, first + 2]);
    });
  });

  test('the page sees window.countdeck and nothing else of the bridge, also after a reload', async () => {
    await withApp(async ({ page, core }) => {
      const shape = () =>
        page.evaluate(() => ({
          globals: Object.keys(window).filter((name) => /countdeck/i.test(name)),
          api: Object.keys(window.countdeck).sort(),
          frozen: Object.isFrozen(window.countdeck),
        }));
      const expected = { globals: ['countdeck'], api: [...API_METHODS, ...API_EVENTS].sort(), frozen: true };
      expect(await shape()).toEqual(expected);
      await page.reload();
      expect(await shape()).toEqual(expected);
      await page.evaluate(() => {
        window.seen = [];
        window.countdeck.onCounterBatch((batch) => window.seen.push(batch));
      });
      await core.api.increaseCounter({ groupID: 'live-friday', key: 'likes', value: '1' });
      await expect.poll(() => page.evaluate(() => window.seen.length)).toBe(1);
    });
  });
});

test('the static server refuses paths outside the renderer folder', async () => {
  const server = await startStaticServer(RENDERER_DIR);
  try {
    const status = (path: string) =>
      new Promise<number>((done, failed) => {
        request(`${server.origin}${path}`, { method: 'GET' }, (response) => {
          response.resume();
          done(response.statusCode ?? 0);
        })
          .on('error', failed)
          .end();
      });
    expect(await status('/index.html')).toBe(200);
    for (const path of ['/../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/', '/nope.js', '/%E0%A4%A']) {
      expect(await status(path), path).toBe(404);
    }
  } finally {
    await server.close();
  }
});
