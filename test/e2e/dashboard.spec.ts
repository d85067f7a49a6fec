import { PNG } from 'pngjs';
import { createCore } from '../../electron/core/create-core';
import { FixedWindow } from '../../electron/core/fixed-window';
import { BUDGET_CALLS, BUDGET_WINDOW_MS } from '../../shared/limits';
import { expect, launchApp, test, type App } from './harness';
import { screenshot } from './screenshots';

const LIVE = 'live-friday';
const WRITES = new Set(['setCounters', 'increaseCounter', 'decreaseCounter', 'joinGroup']);

/** Runs a scenario against a freshly launched app and always closes it. */
async function withApp(scenario: (app: App) => Promise<void>, options: Parameters<typeof launchApp>[0] = {}): Promise<void> {
  const app = await launchApp(options);
  try {
    await scenario(app);
  } finally {
    await app.close();
  }
}

const writesSent = (app: App): number => app.dispatched.filter((call) => WRITES.has(call.method)).length;
const row = (app: App, key: string) => app.page.locator(`tr.counter-row[data-key="${key}"]`);
const valueOf = (app: App, key: string) => row(app, key).locator('.value-button');

/** The colour of each chip's swatch, as [r, g, b]. */
async function chipColours(app: App): Promise<number[][]> {
  const styles = await app.page.locator('.live-chart .chip .swatch').evaluateAll((swatches) => swatches.map((swatch) => swatch.getAttribute('style') ?? ''));
  return styles.map((style) => style.match(/rgb\((\d+), (\d+), (\d+)\)/)!.slice(1).map(Number));
}

/** How many pixels of the chart, as on screen, are close to each of `colours`; null for a colour with fewer than 20. */
async function pixelsOfColours(app: App, colours: number[][]): Promise<(number | null)[]> {
  const { data } = PNG.sync.read(await app.page.locator('.live-chart .canvas-box').screenshot());
  return colours.map(([r, g, b]) => {
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 60) count += 1;
    return count >= 20 ? count : null;
  });
}

test('the demo groups appear, the live-stream room first and marked live', async () => {
  await withApp(async (app) => {
    const groups = app.page.getByRole('listbox', { name: 'Groups' }).getByRole('option');
    await expect(groups.first()).toContainText('Friday Night Live');
    await expect(groups.first()).toContainText('Live');
    await expect(groups).toHaveCount(5);
    await expect(app.page.getByRole('heading', { name: 'Friday Night Live' })).toBeVisible();
    await expect(valueOf(app, 'viewers')).toHaveText('1,284');
  });
});

test('a live update appears in the table, the log and the chart', async () => {
  await withApp(
    async (app) => {
      await expect(valueOf(app, 'likes')).toBeVisible();
      const before = await valueOf(app, 'likes').innerText();
      const canvas = app.page.locator('.live-chart canvas.chart-axes');
      await expect(canvas).toHaveAttribute('data-series', '3');
      const pointsBefore = Number(await canvas.getAttribute('data-points'));
      await expect(valueOf(app, 'likes')).not.toHaveText(before, { timeout: 5_000 });
      await expect(app.page.locator('.event-log .entry').first()).toContainText('Friday Night Live');
      await expect.poll(async () => Number(await canvas.getAttribute('data-points'))).toBeGreaterThan(pointsBefore + 5);
      // The lines reach the screen from their worker: each chip's colour is on the plot.
      const colours = await chipColours(app);
      expect(colours).toHaveLength(3);
      await expect.poll(async () => pixelsOfColours(app, colours)).toEqual(colours.map(() => expect.any(Number)));
      await screenshot(app.page, 'dashboard-light');
    },
    { simulate: true },
  );
});

test('pointing at a line reads its counter and exact value', async () => {
  await withApp(async (app) => {
    const chart = app.page.locator('.live-chart');
    const canvas = chart.locator('canvas.chart-axes');
    await expect(canvas).toHaveAttribute('data-series', '3');
    await chart.getByRole('button', { name: 'Value' }).click();
    const box = (await canvas.boundingBox())!;
    const tooltip = chart.getByRole('tooltip');
    // The lines start when the group loaded and run flat at their values up to now (the plot's right edge, about
    // 20 px in from the canvas's): let them cover the last seconds, then sweep down just left of now.
    await app.page.waitForTimeout(4_000);
    const x = box.x + box.width - 45;
    const read = new Map<string, string>();
    for (let y = box.y + 4; y < box.y + box.height; y += 4) {
      await app.page.mouse.move(x, y);
      if (await tooltip.isVisible()) read.set(await tooltip.locator('.hover-label').innerText(), await tooltip.locator('.hover-value').innerText());
    }
    for (const key of ['likes', 'viewers', 'gifts']) {
      expect(read.get(`${key} · Friday Night Live`)).toBe(await valueOf(app, key).innerText());
    }
    let shownAt = box.y;
    do {
      shownAt += 4;
      await app.page.mouse.move(x, shownAt);
    } while (!(await tooltip.isVisible()) && shownAt < box.y + box.height);
    await screenshot(app.page, 'chart-hover');
    await app.page.keyboard.press('Escape');
    await expect(tooltip).toBeHidden();
    await app.page.mouse.move(x, shownAt + 1);
    await expect(tooltip).toBeVisible();
    await app.page.mouse.move(box.x - 20, box.y - 20);
    await expect(tooltip).toBeHidden();
  });
});

test('the dashboard in the dark theme', async () => {
  await withApp(
    async (app) => {
      await expect(valueOf(app, 'likes')).toBeVisible();
      await app.page.waitForTimeout(3_000);
      await screenshot(app.page, 'dashboard-dark');
    },
    { simulate: true, colorScheme: 'dark' },
  );
});

test('an inline edit sets the value and the confirmed event comes back', async () => {
  await withApp(async (app) => {
    await expect(row(app, 'gifts').locator('.change')).toHaveText('—');
    await app.core.api.startBroadcast({ name: 'Edit check' });
    await expect(row(app, 'gifts').locator('.change')).toHaveText('0');
    await valueOf(app, 'gifts').click();
    const editor = app.page.getByLabel('New value for gifts');
    await expect(editor).toBeFocused();
    await editor.fill('1,500');
    await screenshot(app.page, 'inline-edit');
    await editor.press('Enter');
    await expect(valueOf(app, 'gifts')).toHaveText('1,500');
    expect(app.service.counters(LIVE).get('gifts')).toBe(1500n);
    expect(app.dispatched.filter((call) => call.method === 'setCounters')).toEqual([
      { method: 'setCounters', payload: { groupID: LIVE, counters: { gifts: '1500' } } },
    ]);
    await expect(app.page.locator('.event-log .entry').first()).toContainText('1,500');
    await expect(row(app, 'gifts').locator('.change')).toHaveText('+1,158');
  });
});

test('Escape cancels an edit and sends nothing', async () => {
  await withApp(async (app) => {
    await valueOf(app, 'gifts').click();
    await app.page.getByLabel('New value for gifts').fill('7');
    await app.page.getByLabel('New value for gifts').press('Escape');
    await expect(valueOf(app, 'gifts')).toHaveText('342');
    await expect(row(app, 'gifts')).toBeFocused();
    expect(writesSent(app)).toBe(0);
  });
});

test('+ pressed 100 times quickly ends exactly 100 higher, within the write budget', async () => {
  await withApp(async (app) => {
    const start = app.service.counters(LIVE).get('likes')!;
    const plus = row(app, 'likes').getByRole('button', { name: 'Increase likes by 1' });
    for (let i = 0; i < 100; i += 1) await plus.click({ delay: 0 });
    await expect(valueOf(app, 'likes')).toHaveText((start + 100n).toLocaleString('en-US'), { timeout: 15_000 });
    expect(app.service.counters(LIVE).get('likes')).toBe(start + 100n);
    await expect(row(app, 'likes').locator('.pending-badge')).toHaveCount(0);
    const calls = app.core.writeJournal.recent();
    expect(calls.filter((entry) => entry.outcome === 'refused')).toEqual([]);
    // Replayed through the SDK's own fixed window, every call the ledger sent would have been accepted.
    const sdkWindow = new FixedWindow(BUDGET_CALLS, BUDGET_WINDOW_MS);
    expect(calls.map((call) => sdkWindow.call(call.sentAt))).not.toContain(false);
    expect(calls.length).toBeLessThan(100);
    await expect(app.page.getByText('2996')).toHaveCount(0);
    await expect(app.page.locator('.row-error')).toHaveCount(0);
  });
});

test('invalid input is refused on the spot with its message, and the core receives nothing', async () => {
  await withApp(async (app) => {
    const { page } = app;
    await expect(valueOf(app, 'likes')).toBeVisible();

    await valueOf(app, 'likes').click();
    const editor = page.getByLabel('New value for likes');
    await editor.fill('9223372036854775808');
    await expect(row(app, 'likes').getByRole('alert')).toHaveText(
      'Outside the signed 64-bit range, -9223372036854775808 to 9223372036854775807.',
    );
    await editor.press('Enter');
    await editor.fill('2.5');
    await expect(row(app, 'likes').getByRole('alert')).toHaveText('A value is a whole number; “2.5” has a fraction.');
    await editor.press('Enter');
    await expect(editor).toBeVisible();
    await screenshot(page, 'invalid-value');
    await editor.press('Escape');

    const step = page.getByLabel('Step for gifts');
    await step.fill('0');
    await expect(row(app, 'gifts').getByRole('alert')).toHaveText('A step is at least 1; − and + give the direction.');
    await expect(row(app, 'gifts').getByRole('button', { name: /Increase gifts/ })).toBeDisabled();

    const key = page.locator('input[name="new-key"]');
    await key.fill('k'.repeat(129));
    await expect(page.locator('[data-field="new-key"]')).toHaveText(/at most 128 bytes of UTF-8; this one has 129/);
    await expect(page.getByRole('button', { name: 'Add counter' })).toBeDisabled();
    await key.fill('赞'.repeat(43));
    await expect(page.locator('[data-field="new-key"]')).toHaveText(/this one has 129/);
    await key.press('Enter');

    await page.getByPlaceholder('Group ID, e.g. live-karaoke').fill('@TGS#_creators@TOPIC#_general');
    await expect(page.locator('#join-error')).toHaveText('This is a Community topic: topics have no group counters.');
    await screenshot(page, 'invalid-inputs');
    expect(writesSent(app)).toBe(0);
  });
});

test('a 21st key is refused before anything is sent', async () => {
  await withApp(async (app) => {
    const filler = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`extra_${String(i + 1).padStart(2, '0')}`, String(i)]));
    await app.core.api.setCounters({ groupID: LIVE, counters: filler });
    await expect(app.page.getByText('20 of 20 counters')).toBeVisible();
    await expect(app.page.getByText('This group already holds 20 counters, the most a group can.')).toBeVisible();
    const before = writesSent(app);
    await app.page.locator('input[name="new-key"]').fill('one_too_many');
    await expect(app.page.locator('[data-field="new-key"]')).toHaveText('A group holds at most 20 counters; this would make 21.');
    await app.page.locator('input[name="new-key"]').press('Enter');
    expect(writesSent(app)).toBe(before);
    expect(app.service.counters(LIVE).size).toBe(20);
  });
});

test("another user's change on the same service shows on the page", async () => {
  await withApp(async (app) => {
    const moderator = await createCore({ service: app.service, userID: 'moderator' });
    try {
      await expect(valueOf(app, 'viewers')).toHaveText('1,284');
      await moderator.api.setCounters({ groupID: LIVE, counters: { viewers: '424242' } });
      await expect(valueOf(app, 'viewers')).toHaveText('424,242');
      await expect(app.page.locator('.event-log .entry').first()).toContainText('1,284');
    } finally {
      await moderator.close();
    }
  });
});

test('a row scrolled out of view is not redrawn, and shows the latest value as it comes back', async () => {
  await withApp(async (app) => {
    const moderator = await createCore({ service: app.service, userID: 'moderator' });
    try {
      // Twenty counters make the table taller than the window.
      await moderator.api.setCounters({ groupID: LIVE, counters: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`key_${i}`, String(i)])) });
      await expect(app.page.locator('tr.counter-row')).toHaveCount(20);
      const first = app.page.locator('tr.counter-row').first();
      const key = (await first.getAttribute('data-key'))!;
      const shown = await valueOf(app, key).textContent();
      await app.page.locator('.event-log').scrollIntoViewIfNeeded();
      await expect(first).not.toBeInViewport();
      await moderator.api.setCounters({ groupID: LIVE, counters: { [key]: '777777' } });
      // The batch has been drawn: the log on screen shows it, while the row out of view still shows what it did.
      await expect(app.page.locator('.event-log .entry').first()).toContainText('777,777');
      await expect(valueOf(app, key)).toHaveText(shown!);
      await first.scrollIntoViewIfNeeded();
      await expect(valueOf(app, key)).toHaveText('777,777');
    } finally {
      await moderator.close();
    }
  });
});

test('setting several counters sends one call', async () => {
  await withApp(async (app) => {
    await app.page.getByRole('button', { name: 'Set several…' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Set several counters' });
    await dialog.getByLabel('New value for likes').fill('10');
    await dialog.getByLabel('New value for gifts').fill('20');
    await dialog.getByRole('button', { name: 'Add a key' }).click();
    await dialog.getByLabel('New key', { exact: true }).fill('shares');
    await dialog.getByLabel('New value for shares').fill('30');
    await screenshot(app.page, 'set-several');
    await dialog.getByRole('button', { name: 'Set 3 counters' }).click();
    await expect(dialog).toBeHidden();
    await expect(valueOf(app, 'shares')).toHaveText('30');
    expect(app.dispatched.filter((call) => call.method === 'setCounters')).toEqual([
      { method: 'setCounters', payload: { groupID: LIVE, counters: { likes: '10', gifts: '20', shares: '30' } } },
    ]);
  });
});

test('joining a live room by ID selects it', async () => {
  await withApp(async (app) => {
    await app.page.getByPlaceholder('Group ID, e.g. live-karaoke').fill('live-karaoke');
    await app.page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(app.page.getByRole('heading', { name: 'Karaoke Hour' })).toBeVisible();
    await expect(valueOf(app, 'viewers')).toHaveText('87');
  });
});

test('the keyboard moves through groups and rows, and edits', async () => {
  await withApp(async (app) => {
    const { page } = app;
    await page.getByRole('option', { name: /Friday Night Live/ }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Friday Night Live');
    await page.keyboard.press('Home');
    await expect(page.getByRole('heading', { name: 'Friday Night Live' })).toBeVisible();
    await row(app, 'viewers').focus();
    await page.keyboard.press('ArrowDown');
    await expect(row(app, 'likes')).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2000');
    await page.keyboard.press('Enter');
    await expect(valueOf(app, 'likes')).toHaveText('2,000');
    await expect(row(app, 'likes')).toBeFocused();
    await page.keyboard.press('+');
    await expect(valueOf(app, 'likes')).toHaveText('2,001');
  });
});

test('switching to Chinese changes the texts', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await withApp(
      async (app) => {
        const { page } = app;
        await expect(page.getByText('Live chart')).toBeVisible();
        await page.getByLabel('Language').selectOption('zh-CN');
        await expect(page.getByText('实时图表')).toBeVisible();
        await expect(page.getByText('事件日志')).toBeVisible();
        await expect(page.getByRole('heading', { name: '群组' })).toBeVisible();
        await expect(page.getByText('已连接')).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
        await page.waitForTimeout(2_000);
        await screenshot(page, `dashboard-zh-${colorScheme}`);
      },
      { simulate: true, colorScheme },
    );
  }
});

test('the event log draws only the rows in view, and scrolls through all it shows', async () => {
  await withApp(async (app) => {
    const moderator = await createCore({ service: app.service, userID: 'moderator' });
    try {
      // The group's three counters and seventeen more, set twice: forty entries at least, more than the log's body holds.
      const keys = ['likes', 'viewers', 'gifts', ...Array.from({ length: 17 }, (_, i) => `key_${i}`)];
      for (const round of [1, 2]) {
        await moderator.api.setCounters({ groupID: LIVE, counters: Object.fromEntries(keys.map((key, i) => [key, String(round * 100 + i)])) });
      }
      const log = app.page.locator('.event-log');
      await expect(log.locator('table')).toHaveAttribute('aria-rowcount', '41');
      const drawn = log.locator('tr.entry');
      const heights = await drawn.evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
      expect(heights.length).toBeLessThan(20);
      expect(new Set(heights)).toEqual(new Set([28]));
      await log.locator('.log-body').evaluate((body) => body.scrollTo(0, body.scrollHeight));
      const last = log.locator('tr.entry[aria-rowindex="41"]');
      await expect(last.locator('.key')).not.toBeEmpty();
      // The oldest row shown sits at the bottom of the scrolled body.
      const [row, body] = await Promise.all([last.boundingBox(), log.locator('.log-body').boundingBox()]);
      expect(Math.abs(row!.y + row!.height - (body!.y + body!.height))).toBeLessThan(2);
      await log.scrollIntoViewIfNeeded();
      await screenshot(app.page, 'event-log-scrolled');
    } finally {
      await moderator.close();
    }
  });
});
