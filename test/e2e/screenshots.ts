import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';

const DIR = resolve(import.meta.dirname, '../../test-results/screenshots');

/** Two frames on, what a scroll or a change just brought into view is painted (a string: the test side is typed without the DOM). */
const TWO_FRAMES = 'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))';

/** Saves what the operator sees under test-results/screenshots/<name>.png, once it is painted. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(DIR, { recursive: true });
  await page.evaluate(TWO_FRAMES);
  await page.screenshot({ path: resolve(DIR, `${name}.png`) });
}
