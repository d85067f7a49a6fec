import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { expect, launchApp, test, type App } from './harness';
import { screenshot } from './screenshots';

/**
 * A broadcast across a restart: the app runs on a data folder with live traffic and a broadcast
 * on, closes, and starts again on the same folder. The page then shows what it showed before: the
 * event log's rows, each counter's value, "since start" and last update, the broadcast, and the
 * chart's lines from before the restart (drawn from the stored history: the new run has no live
 * point from that time).
 */

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1024, height: 640 },
];

interface Shown {
  log: string[];
  rows: string[];
  broadcast: string;
  /** The chart's chips, each with its colour. */
  chips: string[];
}

/** What the operator reads off the page: the log's first rows, and each counter row's value, since start and last update. */
async function shown(app: App): Promise<Shown> {
  const log = await app.page.locator('.event-log .entry').evaluateAll((rows) => rows.slice(0, 12).map((row) => (row.textContent ?? '').replace(/\s+/g, ' ').trim()));
  const rows = await app.page
    .locator('tr.counter-row')
    .evaluateAll((rows) =>
      rows.map((row) => ['.key-text', '.value-button', '.change', '.updated'].map((cell) => row.querySelector(cell)?.textContent?.trim() ?? '').join(' | ')),
    );
  const broadcast = (await app.page.locator('.broadcast-controls').innerText()).replace(/\s+/g, ' ').trim();
  const chips = await app.page
    .locator('.live-chart .chip')
    .evaluateAll((all) => all.map((chip) => `${chip.querySelector('.swatch')?.getAttribute('style') ?? ''} ${chip.querySelector('.chip-key')?.textContent ?? ''}`));
  return { log, rows, broadcast, chips };
}

/**
 * How tall, in pixels, a counter's line is drawn. Plotted as change, a line that only has the new
 * run's points is flat; one that reaches back before the restart climbs as the counter did then.
 */
async function lineHeight(app: App, key: string): Promise<number> {
  const chip = app.page.locator('.live-chart .chip').filter({ has: app.page.locator('.chip-key', { hasText: new RegExp(`^${key}$`) }) });
  const style = (await chip.locator('.swatch').getAttribute('style')) ?? '';
  const [r, g, b] = style.match(/rgb\((\d+), (\d+), (\d+)\)/)!.slice(1).map(Number) as [number, number, number];
  const { data, width } = PNG.sync.read(await app.page.locator('.live-chart .canvas-box').screenshot());
  let top = Infinity;
  let bottom = -Infinity;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) >= 60) continue;
    const y = Math.floor(i / 4 / width);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  return bottom - top;
}

for (const viewport of VIEWPORTS) {
  test(`after a restart on the same data folder the page shows the same broadcast (${viewport.width}×${viewport.height})`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'countdeck-restart-'));
    try {
      const first = await launchApp({ dataDir, simulate: true, viewport });
      let before: Shown;
      try {
        const { page } = first;
        await expect(page.locator('tr.counter-row[data-key="likes"]')).toBeVisible();
        // No broadcast yet: "since start" counts from nothing.
        await expect(page.locator('tr.counter-row[data-key="likes"] .change')).toHaveText('—');
        await page.getByRole('button', { name: 'Start broadcast…' }).click();
        await page.getByRole('dialog').getByRole('textbox').fill('Friday show');
        await page.keyboard.press('Enter');
        await expect(page.locator('.broadcast-controls')).toContainText('Friday show');
        // Traffic moves the counters for a while, then stops: what is on screen is then final.
        await page.waitForTimeout(6_000);
        first.service.simulator.stop();
        await page.waitForTimeout(1_500);
        await expect(page.locator('tr.counter-row[data-key="likes"] .change')).not.toHaveText('0');
        before = await shown(first);
        expect(before.log.length).toBeGreaterThan(5);
        await screenshot(page, `restart-before-${viewport.width}`);
      } finally {
        await first.close();
      }

      const second = await launchApp({ dataDir, simulate: false, viewport });
      try {
        const { page } = second;
        await expect(page.locator('tr.counter-row[data-key="likes"]')).toBeVisible();
        await expect.poll(() => shown(second), { timeout: 10_000 }).toEqual(before);
        await screenshot(page, `restart-after-${viewport.width}`);
        // The lines from before the restart are drawn from the stored history: likes climbs as it did then.
        await page.locator('.live-chart').getByRole('button', { name: '1 min' }).click();
        await expect.poll(() => lineHeight(second, 'likes'), { timeout: 10_000 }).toBeGreaterThan(30);
        await screenshot(page, `restart-after-chart-${viewport.width}`);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}
