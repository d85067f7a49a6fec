import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { withReadOnly } from './db-inspect';

/**
 * Damages a real database file inside, the way a bad sector or a torn write does: one b-tree leaf
 * page of a chosen table is overwritten with random bytes (its header's first 8 bytes kept), so the
 * file still opens and its schema reads, but `PRAGMA integrity_check` fails and reading that table
 * fails with "database disk image is malformed". The file must have no write-ahead log beside it.
 */

const INTERIOR = new Set([0x02, 0x05]);
const LEAF = new Set([0x0a, 0x0d]);

/** The page number of the right-most leaf of `table`'s b-tree (the newest rows of a rowid table). */
export function rightmostLeaf(file: string, table: string): number {
  const root = withReadOnly(file, (db) => (db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as { rootpage: number } | undefined)?.rootpage);
  if (root === undefined) throw new Error(`no table ${table} in ${file}`);
  const bytes = readFileSync(file);
  const pageSize = pageSizeOf(bytes);
  let page = root;
  for (let depth = 0; depth < 10; depth += 1) {
    const at = (page - 1) * pageSize + (page === 1 ? 100 : 0);
    const type = bytes[at]!;
    if (LEAF.has(type)) return page;
    if (!INTERIOR.has(type)) throw new Error(`page ${page} of ${table} has type ${type}`);
    page = bytes.readUInt32BE(at + 8);
  }
  throw new Error(`no leaf found under the root of ${table}`);
}

/** Overwrites a leaf page of `table` (not its root) with random bytes; returns the page number. */
export function corruptLeafOf(file: string, table: string): number {
  const bytes = readFileSync(file);
  const pageSize = pageSizeOf(bytes);
  const page = rightmostLeaf(file, table);
  randomBytes(pageSize - 16).copy(bytes, (page - 1) * pageSize + 8);
  writeFileSync(file, bytes);
  return page;
}

/** The number of pages of the file. */
export function pageCount(file: string): number {
  const bytes = readFileSync(file);
  return bytes.length / pageSizeOf(bytes);
}

function pageSizeOf(bytes: Buffer): number {
  const size = bytes.readUInt16BE(16);
  return size === 1 ? 65536 : size;
}
