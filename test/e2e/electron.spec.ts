import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { API_EVENTS, API_METHODS } from '../../shared/ipc-contract';
import { electronBinary } from './electron-binary';
import { expect, test, type CountdeckWindow } from './harness';
import { screenshot } from './screenshots';

declare const window: CountdeckWindow & { open(url: string): unknown };
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };

/**
 * The packaged app's shell, run unpackaged from out/ (Playwright's Electron launch needs the inspect
 * arguments that packaging's fuses turn off). playwright.config.ts leaves this file out, with one line
 * saying so, where the Electron binary is not installed.
 */
let app: ElectronApplication;
let page: Page;
let userData: string;

test.beforeAll(async () => {
  userData = await mkdtemp(join(tmpdir(), 'countdeck-electron-'));
  app = await electron.launch({
    executablePath: electronBinary() ?? undefined,
    args: [resolve(import.meta.dirname, '../../out/main/main.js'), `--user-data-dir=${userData}`],
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  await rm(userData, { recursive: true, force: true });
});

test('the window opens on the embedded service with the demo groups', async () => {
  await expect(page.getByRole('heading', { name: 'Friday Night Live' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('listbox', { name: 'Groups' }).getByRole('option')).toHaveCount(5);
  await screenshot(page, 'electron-window');
});

test('an inline edit round-trips through the real preload and IPC', async () => {
  const value = page.locator('tr.counter-row[data-key="gifts"] .value-button');
  await value.click();
  await page.getByLabel('New value for gifts').fill('4242');
  await page.getByLabel('New value for gifts').press('Enter');
  await expect(value).toHaveText('4,242');
});

test('the security settings are in force in the live window', async () => {
  const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  expect(windows).toBe(1);
  const seen = await page.evaluate(() => ({
    node: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    api: Object.keys(window.countdeck).sort(),
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    popup: window.open('https://example.com/') === null,
  }));
  expect(seen).toMatchObject({ node: 'undefined', process: 'undefined', popup: true });
  expect(seen.api).toEqual([...API_METHODS, ...API_EVENTS].sort());
  expect(seen.csp).toContain("default-src 'none'");
  expect(page.url()).toMatch(/^app:\/\/countdeck\//);
});
