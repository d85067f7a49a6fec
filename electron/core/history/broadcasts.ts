import { CountdeckError, ErrorCode } from '../../../shared/errors';
import { messageFor } from '../../../shared/error-messages';
import type { Broadcast, CounterUpdate } from '../../../shared/types';
import type { Clock } from '../clock';
import type { Database } from '../store/database';

const slot = (groupID: string, key: string): string => `${groupID}\u0000${key}`;

interface OnAir {
  broadcast: Broadcast;
  /** The counters with a baseline, to tell a new one at a glance. */
  known: Set<string>;
}

/**
 * The broadcasts of each service, kept in the database: one is on at a time per service, and each
 * counter's baseline is its value when the broadcast started, or when it was first seen after
 * (a counter created during the broadcast starts from 0, as the service creates it).
 */
export class Broadcasts {
  private readonly onAir = new Map<string, OnAir | null>();

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  /** The broadcast on now on a service, or null. */
  current(source: string): Broadcast | null {
    return this.load(source)?.broadcast ?? null;
  }

  /** Starts a broadcast from the values held now, ending the one on; throws a coded error if the disk refuses. */
  start(source: string, name: string, held: Iterable<{ groupID: string; key: string; value: bigint }>): Broadcast {
    const now = this.clock.now();
    const baselines = [...held];
    const id = this.database.write(() => {
      this.database.statement('UPDATE broadcast SET ended_at = ? WHERE source = ? AND ended_at IS NULL').run(now, source);
      const row = this.database.statement('INSERT INTO broadcast (source, name, started_at) VALUES (?, ?, ?) RETURNING id').get(source, name, now) as { id: bigint };
      const insert = this.database.statement('INSERT INTO broadcast_baseline (broadcast_id, group_id, key, value) VALUES (?, ?, ?, ?)');
      for (const { groupID, key, value } of baselines) insert.run(row.id, groupID, key, value);
      return Number(row.id);
    });
    const broadcast: Broadcast = {
      id,
      name,
      startedAt: now,
      endedAt: null,
      baselines: baselines.map(({ groupID, key, value }) => ({ groupID, key, value: value.toString() })),
    };
    this.onAir.set(source, { broadcast, known: new Set(baselines.map(({ groupID, key }) => slot(groupID, key))) });
    return broadcast;
  }

  /** Ends the broadcast on; throws NO_BROADCAST when none is. */
  end(source: string): Broadcast {
    const on = this.load(source);
    if (on === null) throw new CountdeckError(ErrorCode.NO_BROADCAST, messageFor(ErrorCode.NO_BROADCAST)!);
    const now = this.clock.now();
    this.database.write(() => this.database.statement('UPDATE broadcast SET ended_at = ? WHERE id = ?').run(now, on.broadcast.id));
    this.onAir.set(source, null);
    return { ...on.broadcast, endedAt: now };
  }

  /** Gives counters seen for the first time since the start their baseline; true when any was new. */
  noteValues(source: string, groupID: string, values: ReadonlyMap<string, bigint>): boolean {
    const on = this.load(source);
    if (on === null) return false;
    const fresh = [...values].filter(([key]) => !on.known.has(slot(groupID, key)));
    return this.addBaselines(on, fresh.map(([key, value]) => ({ groupID, key, value })));
  }

  /** The same for a batch of updates: a counter unknown until now starts from the value it held before. */
  noteUpdates(source: string, updates: readonly CounterUpdate[]): boolean {
    const on = this.load(source);
    if (on === null) return false;
    const fresh = new Map<string, { groupID: string; key: string; value: bigint }>();
    for (const { groupID, key, previous } of updates) {
      const id = slot(groupID, key);
      if (!on.known.has(id) && !fresh.has(id)) fresh.set(id, { groupID, key, value: BigInt(previous ?? '0') });
    }
    return this.addBaselines(on, [...fresh.values()]);
  }

  private addBaselines(on: OnAir, added: { groupID: string; key: string; value: bigint }[]): boolean {
    if (added.length === 0) return false;
    this.database.write(() => {
      const insert = this.database.statement('INSERT OR IGNORE INTO broadcast_baseline (broadcast_id, group_id, key, value) VALUES (?, ?, ?, ?)');
      for (const { groupID, key, value } of added) insert.run(on.broadcast.id, groupID, key, value);
    });
    for (const { groupID, key, value } of added) {
      on.known.add(slot(groupID, key));
      on.broadcast.baselines.push({ groupID, key, value: value.toString() });
    }
    return true;
  }

  private load(source: string): OnAir | null {
    const cached = this.onAir.get(source);
    if (cached !== undefined) return cached;
    const row = this.database.statement('SELECT id, name, started_at FROM broadcast WHERE source = ? AND ended_at IS NULL').get(source) as
      | { id: bigint; name: string; started_at: bigint }
      | undefined;
    let on: OnAir | null = null;
    if (row !== undefined) {
      const baselines = (
        this.database.statement('SELECT group_id, key, value FROM broadcast_baseline WHERE broadcast_id = ?').all(row.id) as { group_id: string; key: string; value: bigint }[]
      ).map((baseline) => ({ groupID: baseline.group_id, key: baseline.key, value: baseline.value.toString() }));
      on = {
        broadcast: { id: Number(row.id), name: row.name, startedAt: Number(row.started_at), endedAt: null, baselines },
        known: new Set(baselines.map(({ groupID, key }) => slot(groupID, key))),
      };
    }
    this.onAir.set(source, on);
    return on;
  }
}
