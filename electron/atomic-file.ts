import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces a file with new content, all or nothing: the content goes to a temporary file beside
 * it, is flushed to disk and measured, and only a whole one is renamed over the old file. A full
 * disk fails the write (ENOSPC) and leaves the old file as it was.
 */
export async function writeFileAtomically(file: string, content: string, mode = 0o644): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const bytes = Buffer.from(content, 'utf8');
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const written = (await stat(temporary)).size;
    if (written !== bytes.length) throw new Error(`Only ${written} of ${bytes.length} bytes reached ${temporary}.`);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(file));
}

/** Makes the rename itself durable; some systems cannot open a folder for this, which loses nothing written. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a folder; the rename is still atomic there.
  }
}
