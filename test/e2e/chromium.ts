import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium: Playwright's own browser download is not used (it fails on this machine). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, headless run in a container: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** Where the Chromium binary is: `CHROMIUM_PATH` if set, else Debian's. */
export function chromiumPath(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CHROMIUM_PATH;
}

/** The launch options every end-to-end browser uses (the config's `launchOptions` and the harness). */
export function chromiumLaunchOptions(): LaunchOptions {
  return { executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS] };
}

/** Throws a message that says how to fix it when the Chromium binary is missing. */
export function assertChromiumInstalled(): void {
  const path = chromiumPath();
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
}
