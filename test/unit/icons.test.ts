import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICNS_ENTRIES, ICO_SIZES, makeIcons, PNG_SIZES } from '../../scripts/make-icons';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('the icon script', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-icons-'));
    files = await makeIcons(resolve(import.meta.dirname, '../../build/icon.svg'), dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('draws every PNG size Linux needs, and the 1024 px master', async () => {
    for (const size of PNG_SIZES) {
      expect(pngSize(await readFile(join(dir, 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    }
    expect(pngSize(await readFile(join(dir, 'icon.png')))).toEqual([1024, 1024]);
    expect(files).toHaveLength(PNG_SIZES.length + 3);
  });

  it('packs the Windows sizes into one .ico', async () => {
    const ico = await readFile(join(dir, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(ICO_SIZES.length);
    const widths = ICO_SIZES.map((_, i) => ico.readUInt8(6 + i * 16) || 256);
    expect(widths.sort((a, b) => a - b)).toEqual([...ICO_SIZES]);
  });

  it('packs the macOS sizes into one .icns, each entry a PNG of its size', async () => {
    const icns = await readFile(join(dir, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    let offset = 8;
    for (const [type, size] of ICNS_ENTRIES) {
      expect(icns.toString('ascii', offset, offset + 4)).toBe(type);
      const length = icns.readUInt32BE(offset + 4);
      expect(pngSize(icns.subarray(offset + 8, offset + length))).toEqual([size, size]);
      offset += length;
    }
    expect(offset).toBe(icns.length);
  });
});
