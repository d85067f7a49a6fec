/**
 * Draws the app icon from build/icon.svg at every size the installers need: PNGs for Linux
 * (build/icons/<n>x<n>.png) and the 1024 px master, an .ico for Windows and an .icns for macOS.
 * Run with `npm run icons`; `npm run dist` does it before packaging.
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pngToIco from 'png-to-ico';

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/** macOS icon types, each a PNG of the given pixel size (the @2x types repeat a larger bitmap). */
export const ICNS_ENTRIES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
] as const;

function render(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

/** An .icns file: the 'icns' header, then one type-tagged PNG after another. */
function icns(pngs: ReadonlyMap<number, Buffer>): Buffer {
  const chunks = ICNS_ENTRIES.map(([type, size]) => {
    const png = pngs.get(size)!;
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}

/** Writes every icon into `outDir`; returns the files written. */
export async function makeIcons(svgFile: string, outDir: string): Promise<string[]> {
  const svg = await readFile(svgFile, 'utf8');
  const pngs = new Map(PNG_SIZES.map((size) => [size as number, render(svg, size)]));
  await mkdir(join(outDir, 'icons'), { recursive: true });
  const written: [string, Buffer][] = [
    ...PNG_SIZES.map((size): [string, Buffer] => [join(outDir, 'icons', `${size}x${size}.png`), pngs.get(size)!]),
    [join(outDir, 'icon.png'), pngs.get(1024)!],
    [join(outDir, 'icon.ico'), await pngToIco(ICO_SIZES.map((size) => pngs.get(size)!))],
    [join(outDir, 'icon.icns'), icns(pngs)],
  ];
  for (const [file, data] of written) await writeFile(file, data);
  return written.map(([file]) => file);
}

if (import.meta.main) {
  const buildDir = resolve(import.meta.dirname, '../build');
  const files = await makeIcons(join(buildDir, 'icon.svg'), buildDir);
  console.log(`icons: wrote ${files.length} files to ${buildDir}`);
}
