import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, launchApp, test } from './harness';
import { screenshot } from './screenshots';

/**
 * The broadcast and the data dialogs against a real core on a data folder: starting a named
 * broadcast from the keyboard, seeing where the data is and how much, and deleting all stored
 * history after confirming, which empties the event log's stored rows and leaves the counters.
 */

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1024, height: 640 },
]) {
  test(`a broadcast is started by name, and stored history deleted after a confirm (${viewport.width}×${viewport.height})`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'countdeck-records-e2e-'));
    const app = await launchApp({ dataDir, simulate: true, viewport });
    try {
      const { page } = app;
      await expect(page.locator('tr.counter-row[data-key="likes"]')).toBeVisible();

      const start = page.getByRole('button', { name: 'Start broadcast…' });
      await start.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByRole('textbox')).toBeFocused();
      await dialog.getByRole('textbox').fill('x'.repeat(81));
      await expect(dialog.getByRole('alert')).toContainText('at most 80 characters');
      await screenshot(page, `broadcast-dialog-invalid-${viewport.width}`);
      await dialog.getByRole('textbox').fill('Friday show');
      await page.keyboard.press('Enter');
      await expect(page.locator('.broadcast-controls')).toContainText('Friday show');
      await expect(page.getByRole('button', { name: 'End broadcast' })).toBeFocused();
      await expect.poll(async () => (await app.core.api.getBroadcast())?.name).toBe('Friday show');

      // Some live traffic, so there is history to delete.
      await expect(page.locator('.event-log .entry').first()).toBeVisible({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Data…' }).click();
      const data = page.getByRole('dialog');
      await expect(data).toContainText(join(dataDir, 'countdeck.db'));
      await expect(data).toContainText('Detail of 1 s');
      await screenshot(page, `data-dialog-${viewport.width}`);

      await data.getByRole('combobox').selectOption({ label: 'all of it' });
      await data.getByRole('button', { name: 'Delete…' }).click();
      await expect(data).toContainText('Delete all of the stored history?');
      await screenshot(page, `data-dialog-confirm-${viewport.width}`);
      app.service.simulator.stop();
      const before = (await app.core.api.getStorage()).bytes;
      await data.getByRole('button', { name: 'Delete history' }).click();
      await expect(data.getByRole('status')).toContainText('Deleted.');
      // The freed pages go back to the disk: the data takes less room than before.
      expect((await app.core.api.getStorage()).bytes).toBeLessThan(before);
      await expect.poll(async () => (await app.core.api.getRecentUpdates({ limit: 10 })).length).toBe(0);
      await expect.poll(async () => (await app.core.api.getStorage()).oldestHistory).toBeNull();
      await screenshot(page, `data-dialog-deleted-${viewport.width}`);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('button', { name: 'Data…' })).toBeFocused();
      // The counters are not history: they and the broadcast stay.
      await expect(page.locator('tr.counter-row[data-key="likes"]')).toBeVisible();
      await expect(page.locator('.broadcast-controls')).toContainText('Friday show');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}
