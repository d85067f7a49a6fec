import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Clock, TimerHandle } from '../../clock';
import { createSeed, type SeedKind } from './demo-seed';
import type { GroupRecord } from './group-state';
import type { LogFn } from './service-port';
import { decodeState } from './state-codec';

export const STATE_FILE_NAME = 'state.json';

/** How long a change may wait before it is written: bursts of writes share one save. */
export const SAVE_DELAY_MS = 500;

export interface Recovery {
  backupPath: string;
  reason: string;
}

export interface LoadedState {
  groups: Map<string, GroupRecord>;
  recovered: Recovery | null;
  /** The file to save to; null keeps the state in memory only. */
  file: string | null;
  /** Whether the state differs from the file (fresh seed or recovery) and wants saving. */
  unsaved: boolean;
}

/** Loads `<dataDir>/state.json`; a missing file gives the seed, a bad one is put aside. Never throws. */
export async function loadState(options: {
  dataDir?: string;
  seed: SeedKind;
  clock: Clock;
  log: LogFn;
}): Promise<LoadedState> {
  const { dataDir, seed, clock, log } = options;
  if (dataDir === undefined) return { groups: createSeed(seed), recovered: null, file: null, unsaved: false };
  const file = join(dataDir, STATE_FILE_NAME);
  let reason: string;
  try {
    const decoded = decodeState(await readFile(file, 'utf8'));
    if (decoded.ok) return { groups: decoded.value, recovered: null, file, unsaved: false };
    reason = decoded.error.message;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { groups: createSeed(seed), recovered: null, file, unsaved: true };
    }
    reason = `The state file could not be read: ${(error as Error).message}`;
  }
  const backupPath = `${file}.corrupt-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(file, backupPath);
  } catch (error) {
    // Saving over a file we could not move aside would destroy it: stay in memory instead.
    const why = (error as Error).message;
    log('error', `${reason} Moving it to ${backupPath} failed (${why}); changes will not be saved.`);
    return { groups: createSeed(seed), recovered: { backupPath, reason }, file: null, unsaved: false };
  }
  log('warn', `${reason} It was moved to ${backupPath}; starting from the ${seed} state.`);
  return { groups: createSeed(seed), recovered: { backupPath, reason }, file, unsaved: true };
}

/** Saves the state atomically, at most SAVE_DELAY_MS after a change, one write at a time. */
export class StateWriter {
  private timer: TimerHandle | null = null;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string | null,
    private readonly clock: Clock,
    private readonly encode: () => string,
    private readonly log: LogFn,
  ) {}

  /** Notes a change; the save is scheduled once, so a steady stream of changes still gets written. */
  changed(): void {
    if (this.file === null) return;
    this.dirty = true;
    if (this.timer !== null) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.save().catch(() => undefined); // already logged
    }, SAVE_DELAY_MS);
  }

  /** Writes pending changes now; rejects if the write fails. */
  flush(): Promise<void> {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    return this.save();
  }

  private save(): Promise<void> {
    this.writing = this.writing.catch(() => undefined).then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    if (this.file === null || !this.dirty) return;
    this.dirty = false;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, this.encode());
    } catch (error) {
      this.dirty = true;
      this.log('error', `Saving ${this.file} failed: ${(error as Error).message}`);
      throw error;
    }
  }
}
