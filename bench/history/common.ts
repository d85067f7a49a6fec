import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../electron/core/store/database';

/** 20 groups × 20 keys: the 400 series of the history benchmark. */
export const GROUPS = 20;
export const KEYS_PER_GROUP = 20;
export const SERIES = GROUPS * KEYS_PER_GROUP;

/** The embedded backend's name for its history (`embeddedBackend(...).source`). */
export const LOCAL_SOURCE = 'local';

export interface SeriesRef {
  groupID: string;
  key: string;
}

/** The groups' IDs and names: live rooms named "Bench 00" …, so the page lists them before the demo's rooms and selects "Bench 00". */
export const groupID = (group: number): string => `bench-${String(group).padStart(2, '0')}`;
export const groupName = (group: number): string => `Bench ${String(group).padStart(2, '0')}`;

/** The 400 series, group by group. */
export function seriesLayout(): SeriesRef[] {
  const layout: SeriesRef[] = [];
  for (let group = 0; group < GROUPS; group += 1) {
    for (let key = 0; key < KEYS_PER_GROUP; key += 1) layout.push({ groupID: groupID(group), key: `metric_${String(key + 1).padStart(2, '0')}` });
  }
  return layout;
}

/** A fresh folder under the system's temporary folder (on this machine's disk, not a tmpfs: see the README). */
export function tempFolder(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `countdeck-bench-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bytes of a file, 0 if absent. */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Moves the write-ahead log into the file and empties it; the database's size after is its file's. */
export function checkpoint(database: Database): void {
  database.statement('PRAGMA wal_checkpoint(TRUNCATE)').get();
}

/** Per tier: buckets and the updates they count. */
export function tierCounts(database: Database): { tier: number; buckets: number; updates: number }[] {
  const rows = database.statement('SELECT tier, count(*) AS buckets, total(count) AS updates FROM bucket GROUP BY tier ORDER BY tier').all() as {
    tier: bigint;
    buckets: bigint;
    updates: number;
  }[];
  return rows.map((row) => ({ tier: Number(row.tier), buckets: Number(row.buckets), updates: Number(row.updates) }));
}

/** Bytes in the file per table or index (SQLite's dbstat), with the bytes of its pages left unused, and the free pages. */
export function spaceByTable(database: Database): { tables: Map<string, { bytes: number; unused: number; rows: number }>; freeBytes: number } {
  const tables = new Map<string, { bytes: number; unused: number; rows: number }>();
  const rows = database.statement("SELECT name, sum(pgsize) AS bytes, sum(unused) AS unused, sum(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END) AS cells FROM dbstat GROUP BY name").all() as {
    name: string;
    bytes: bigint;
    unused: bigint;
    cells: bigint;
  }[];
  for (const row of rows) tables.set(row.name, { bytes: Number(row.bytes), unused: Number(row.unused), rows: Number(row.cells) });
  const free = database.statement('PRAGMA freelist_count').get() as { freelist_count: bigint };
  const page = database.statement('PRAGMA page_size').get() as { page_size: bigint };
  return { tables, freeBytes: Number(free.freelist_count * page.page_size) };
}

/** A seeded random source (xorshift32), so every run builds the same data. Its state is in a typed array: a closure's number past ±2^30 would be boxed on every call. */
export function seeded(seed: number): () => number {
  const state = new Uint32Array([seed >>> 0 || 1]);
  return () => {
    let x = state[0]!;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    state[0] = x;
    return state[0]! / 4_294_967_296;
  };
}

/** A megabyte, 10^6 bytes. */
export const MB = 1_000_000;
