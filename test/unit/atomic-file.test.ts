import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../electron/atomic-file';

/**
 * The glue's small files (window state, the remembered account) are replaced all or nothing. On a
 * full disk the write fails and the old file stays whole: the bug of the library it replaces
 * (write-file-atomic 7) was to rename a short write into place.
 */

const folder = mkdtempSync(join(tmpdir(), 'countdeck-atomic-'));
let mounted = false;
try {
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder]);
    mounted = true;
  }
} catch {
  mounted = false;
}
if (!mounted) console.info('atomic-file: full-disk case skipped (needs root to mount a small tmpfs).');

afterAll(() => {
  if (mounted) execFileSync('umount', [folder]);
  rmSync(folder, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('replaces a file whole', async () => {
    const file = join(folder, 'plain.json');
    await writeFileAtomically(file, '{"a":1}');
    await writeFileAtomically(file, '{"a":2}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!mounted)('on a full disk fails with ENOSPC and leaves the old file as it was', async () => {
    const file = join(folder, 'state.json');
    await writeFileAtomically(file, JSON.stringify({ kept: 'x'.repeat(2_000) }));
    const before = readFileSync(file, 'utf8');
    const filler = join(folder, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(128 * 1024));
    } catch {
      // The filler takes what room there is.
    }
    await expect(writeFileAtomically(file, JSON.stringify({ bigger: 'y'.repeat(20_000) }))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
