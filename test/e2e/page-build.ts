import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A page built into a temporary folder, and how to remove it. */
export interface PageBuild {
  dir: string;
  remove(): Promise<void>;
}

/** Bundles the page whose index.html is in `root` with Vite (a production build, like the app's renderer) into a temporary folder. */
export async function buildPage(root: string): Promise<PageBuild> {
  const { build } = await import('vite');
  const dir = await mkdtemp(join(tmpdir(), 'countdeck-page-'));
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'error',
      base: './',
      build: { outDir: dir, emptyOutDir: true, reportCompressedSize: false },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
