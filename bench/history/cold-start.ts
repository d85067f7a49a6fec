import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createCore } from '../../electron/core/create-core';
import { silentLogger } from '../../electron/core/logger';
import { checkIntegrity } from '../../electron/core/store/integrity-check';
import type { CountersReply, GroupSummary, HistoryReply } from '../../shared/types';
import { pointsFor } from './reads';

const FIVE_MINUTES = 5 * 60_000;

/**
 * Asks the kernel to drop a file's pages from its cache (GNU dd's `iflag=nocache` with `count=0`:
 * posix_fadvise DONTNEED on the whole file; no root needed). Returns the share of the file still
 * cached after, from util-linux's `fincore`, or null if that cannot be told.
 */
export function dropFromCache(files: readonly string[]): number | null {
  for (const file of files) if (existsSync(file)) execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
  try {
    let cached = 0;
    let total = 0;
    for (const file of files) {
      if (!existsSync(file)) continue;
      const [pages, size] = execFileSync('fincore', ['--bytes', '--noheadings', '--raw', '--output', 'RES,SIZE', file], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      cached += pages!;
      total += size!;
    }
    return total === 0 ? null : cached / total;
  } catch {
    return null;
  }
}

/** The page's order of groups (renderer/src/stores/groups.ts: live rooms first, then by name): it selects the first. */
function firstGroup(groups: readonly GroupSummary[]): GroupSummary {
  const sorted = [...groups].sort((a, b) => Number(b.type === 'AVChatRoom') - Number(a.type === 'AVChatRoom') || a.name.localeCompare(b.name));
  if (sorted[0] === undefined) throw new Error('the profile has no groups');
  return sorted[0];
}

export interface ColdStart {
  /** ms from calling createCore: until it resolved, until the group list and the first group's counters were read, until the 5 min history came. */
  core: number;
  counters: number;
  history: number;
  /** The first group's keys read, and buckets per key in the history reply. */
  keys: number;
  buckets: number;
  /** Share of the database file in the kernel's cache at the start, when it was dropped first. */
  cachedAtStart: number | null;
}

/**
 * What the page does first against a core on the profile, timed from `createCore`: the group list,
 * the first group's counters, then its plotted series' history for the 5 min window (all its keys,
 * at the points of that many lines), each through the dispatch as IPC would call it.
 */
export async function coldStart(dataDir: string, file: string, dropCache: boolean): Promise<ColdStart> {
  const cachedAtStart = dropCache ? dropFromCache([file, `${file}-wal`]) : null;
  const started = performance.now();
  const core = await createCore({ dataDir, log: silentLogger });
  try {
    const opened = performance.now();
    const call = async <T>(method: string, payload?: unknown): Promise<T> => {
      const result = await core.dispatch(method, payload);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.message}`);
      return result.value as T;
    };
    const group = firstGroup(await call<GroupSummary[]>('listGroups'));
    const counters = await call<CountersReply>('getCounters', { groupID: group.groupID });
    const read = performance.now();
    const keys = Object.keys(counters.counters);
    const to = Date.now();
    const reply = await call<HistoryReply>('getHistory', { groupID: group.groupID, keys, from: to - FIVE_MINUTES, to, maxPoints: pointsFor(keys.length) });
    const answered = performance.now();
    const buckets = reply.series.map((one) => one.buckets.length).sort((a, b) => a - b);
    return {
      core: opened - started,
      counters: read - started,
      history: answered - started,
      keys: keys.length,
      buckets: buckets[Math.floor(buckets.length / 2)] ?? 0,
      cachedAtStart,
    };
  } finally {
    await core.close();
  }
}

/** ms of SQLite's full integrity check of the file, in its worker thread, as the core runs it after opening. */
export function timeIntegrityCheck(file: string): Promise<{ ms: number; damage: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    checkIntegrity(file, (verdict) => {
      if ('failed' in verdict) reject(new Error(`the integrity check could not run: ${verdict.failed}`));
      else resolve({ ms: performance.now() - started, damage: verdict.damage.length });
    });
  });
}
