import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { expect, test } from './harness';
import { buildPage, type PageBuild } from './page-build';
import { screenshot } from './screenshots';
import { startStaticServer, type StaticServer } from './static-server';
/** The page global the strips page defines: `step` draws more steps on both canvases and answers where the strips began. */
declare const window: { stripsPage: { step(count: number): Promise<number[]> } };

/** A 150% display, as on many Windows laptops: strips must start on device pixels that are not whole CSS pixels. */
const RATIO = 1.5;
/** More than this between two pixels' channels is more than antialiasing does (of 255). */
const MAX_SHADE_DIFFERENCE = 96;

let page: PageBuild;
let server: StaticServer;

test.beforeAll(async () => {
  page = await buildPage(resolve(import.meta.dirname, 'strips-page'));
  server = await startStaticServer(page.dir);
});

test.afterAll(async () => {
  await server?.close();
  await page?.remove();
});

test('a chart canvas drawn in strips by the lines worker shows what drawing it whole every time shows', async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: RATIO, viewport: { width: 600, height: 600 } });
  const tab = await context.newPage();
  await tab.goto(`${server.origin}/index.html`);
  await tab.waitForFunction(() => window.stripsPage !== undefined);

  /**
   * Pixels of the two canvases that differ by more than antialiasing does, per thousand of those the
   * lines cover. Skia scan-converts each path with a precision chosen for the whole path, so a strip,
   * which strokes only the ends of the lines, may shade a few edge pixels differently (measured: 4 of
   * some 20,000); a stroke left out or left over changes hundreds of pixels, by many shades.
   */
  const unlikePerThousand = async (): Promise<number> => {
    const [whole, strips] = await Promise.all(['#whole', '#strips'].map(async (id) => PNG.sync.read(await tab.locator(id).screenshot())));
    let inked = 0;
    let unlike = 0;
    for (let i = 0; i < whole!.data.length; i += 4) {
      if (whole!.data.readUInt32BE(i) !== 0xffffffff) inked += 1;
      if ([0, 1, 2].some((c) => Math.abs(whole!.data[i + c]! - strips!.data[i + c]!) > MAX_SHADE_DIFFERENCE)) unlike += 1;
    }
    expect(inked, 'the lines are drawn').toBeGreaterThan(5_000);
    return (1_000 * unlike) / inked;
  };

  const strips: number[] = [];
  // Sixty steps of about a frame each: the time axis moves every 500 ms and the value axis once.
  for (let step = 10; step <= 60; step += 10) {
    strips.push(...(await tab.evaluate(() => window.stripsPage.step(10))));
    await expect.poll(unlikePerThousand, { message: `pixels unlike after step ${step}, per thousand drawn` }).toBeLessThan(2);
  }
  // Most pictures were strips, starting on device pixels between the plot's edges.
  expect(strips.length).toBeGreaterThan(35);
  for (const from of strips) {
    expect(Number.isInteger(from * RATIO), `${from} is on a device pixel`).toBe(true);
    expect(from).toBeGreaterThan(40);
    expect(from).toBeLessThan(480);
  }
  await screenshot(tab, 'lines-strips');
  await context.close();
});
