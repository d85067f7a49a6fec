import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/e2e/chromium';
import { electronBinary } from './test/e2e/electron-binary';

const electronInstalled = electronBinary() !== null;
// Said once, by the runner (workers load this file too).
if (!electronInstalled && process.env['TEST_WORKER_INDEX'] === undefined) {
  console.log('Electron end-to-end tests skipped: the Electron binary is not installed (its download host is unreachable here).');
}

/**
 * End-to-end tests: the built renderer in Debian's Chromium, bridged to a real core by
 * `test/e2e/harness.ts` (which serves the page itself). Run `npm run build` first.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  testIgnore: electronInstalled ? [] : ['electron.spec.ts'],
  outputDir: 'test-results/playwright',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'off',
  },
});
