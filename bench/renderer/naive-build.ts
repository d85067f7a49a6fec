import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The naive page's sources (index.html, main.ts). */
export const NAIVE_SOURCE = resolve(import.meta.dirname, 'naive');

/** A built naive page in a temporary folder, and how to remove it. */
export interface NaiveBuild {
  dir: string;
  remove(): Promise<void>;
}

/** Bundles the naive page with Vite (production build, like the app's renderer) into a temporary folder. */
export async function buildNaivePage(): Promise<NaiveBuild> {
  const { build } = await import('vite');
  const dir = await mkdtemp(join(tmpdir(), 'countdeck-bench-naive-'));
  try {
    await build({
      root: NAIVE_SOURCE,
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
