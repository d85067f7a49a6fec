/**
 * `npm run bench`: runs every benchmark, prints the tables and writes them to bench/results.md with
 * the date and the machine. Nothing here asserts a time; comparisons run side by side, as ratios.
 * `COUNTDECK_BENCH_ONLY=history,core pipeline` runs only the suites named (comma-separated) and
 * prints their tables without touching results.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { chromiumLaunchOptions } from '../test/e2e/chromium';
import { benchHistory } from './history.bench';
import { benchLedger } from './ledger.bench';
import { benchPipeline } from './pipeline.bench';
import { toMarkdown, type Section } from './report';

function chromiumVersion(): string {
  try {
    return execFileSync(chromiumLaunchOptions().executablePath ?? 'chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'not found';
  }
}

const only = (process.env['COUNTDECK_BENCH_ONLY'] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
const wanted = (name: string): boolean => only.length === 0 || only.includes(name);

const suites: [string, () => Promise<Section[]>][] = [
  ['ledger', benchLedger],
  ['core pipeline', benchPipeline],
  ['history', benchHistory],
];
// The renderer benchmark drives Chromium; it joins when it exists.
if (wanted('renderer')) {
  try {
    const { benchRenderer } = (await import('./renderer.bench')) as { benchRenderer: () => Promise<Section[]> };
    suites.push(['renderer', benchRenderer]);
  } catch (error) {
    console.warn(`renderer benchmark not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const unknown = only.filter((name) => !suites.some(([suite]) => suite === name));
if (unknown.length > 0) throw new Error(`COUNTDECK_BENCH_ONLY names no suite ${unknown.join(', ')}; there are ${suites.map(([name]) => name).join(', ')}.`);

const sections: Section[] = [];
for (const [name, run] of suites.filter(([suite]) => wanted(suite))) {
  const started = Date.now();
  console.log(`running the ${name} benchmark…`);
  const results = await run();
  for (const section of results) console.log(`\n${toMarkdown(section)}`);
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  sections.push(...results);
}

if (only.length > 0) {
  console.log('\n(only some suites were run: bench/results.md left as it was)');
  process.exit(0);
}

const header = [
  '# Countdeck benchmark results',
  '',
  `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}) · Node ${process.version} · ${chromiumVersion()}`,
  '',
  'Written by `npm run bench`; see bench/README.md for what each figure means.',
  '',
].join('\n');
writeFileSync(resolve(import.meta.dirname, 'results.md'), `${header}\n${sections.map(toMarkdown).join('\n')}`);
console.log('\nwritten to bench/results.md');
process.exit(0);
