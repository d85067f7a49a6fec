import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';

const DIR = resolve(import.meta.dirname, '../../test-results/screenshots');

/** Saves what the operator sees under test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(DIR, { recursive: true });
  await page.screenshot({ path: resolve(DIR, `${name}.png`) });
}
