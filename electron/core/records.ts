import type { Unsubscribe } from '../../shared/counters-api';
import type { MethodsOf } from '../../shared/ipc-contract';
import type { Broadcast, CounterBatch, StorageInfo } from '../../shared/types';
import type { CounterMap } from './chat/chat-like';
import type { Clock, TimerHandle } from './clock';
import type { Connection } from './connection';
import { toErrorInfo } from './error-info';
import { Broadcasts } from './history/broadcasts';
import { CounterHistory } from './history/counter-history';
import { HISTORY_TIERS, RECENT_UPDATES_KEPT } from './history/history-tiers';
import { Listeners } from './listeners';
import type { Logger } from './logger';
import type { Handlers } from './router';
import { openDatabase, SQLITE_CORRUPT, type Database } from './store/database';
import { sqliteCode } from './store/storage-errors';

/** How often seconds that ended without a batch are added up, and how often old history is dropped. */
const FOLD_EVERY_MS = 5_000;
const PRUNE_EVERY_MS = 60_000;
/** Settled intents are kept in the journal this long. */
const JOURNAL_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

export interface RecordsDeps {
  database: Database;
  clock: Clock;
  log: Logger;
  /** The connection in use: its service is the one whose records are read and written. */
  connection: () => Connection;
}

/** What the core keeps of the counters it sees: their history and the broadcasts, and what it answers about them. */
export interface Records {
  handlers: Pick<Handlers, MethodsOf<'records'>>;
  /** Records a batch of the connection in use; a disk that refuses only costs the history (the problem is shown). */
  record(batch: CounterBatch): void;
  /** Marks the updates of a confirmed write as this Countdeck's own. */
  confirmed(source: string, groupID: string, counters: CounterMap): void;
  /** A group was read: counters first seen since the broadcast started get their baseline. */
  seen(groupID: string, counters: ReadonlyMap<string, bigint>): void;
  /** When each key of a group last changed, as far as the history knows. */
  lastUpdates(groupID: string, keys: Iterable<string>): Record<string, number>;
  onBroadcast(listener: (broadcast: Broadcast | null) => void): Unsubscribe;
  onStorage(listener: (storage: StorageInfo) => void): Unsubscribe;
  close(): void;
}

/** Opens the history and the broadcasts on the database, with their upkeep. */
export function createRecords({ database, clock, log, connection }: RecordsDeps): Records {
  const history = openHistory(database, clock, log);
  const broadcasts = new Broadcasts(database, clock);
  const broadcastListeners = new Listeners<Broadcast | null>();
  const storageListeners = new Listeners<StorageInfo>();
  const source = (): string => connection().backend.source;

  const storage = (): StorageInfo => ({
    file: database.file,
    bytes: database.sizeBytes(),
    problem: database.problem,
    oldestHistory: history.oldest(),
    tiers: [...HISTORY_TIERS],
    recentKept: RECENT_UPDATES_KEPT,
  });
  const stopProblems = database.onProblem(() => storageListeners.emit(storage()));
  const announce = (): void => broadcastListeners.emit(broadcasts.current(source()));

  /** Upkeep the history cannot do on a batch: a failure waits for the next round. */
  const chore = (what: string, work: () => void): void => {
    try {
      work();
    } catch (error) {
      log.warn(`${what}: ${toErrorInfo(error).message}`);
    }
  };
  let timer: TimerHandle | null = null;
  let lastPrune = Number.NEGATIVE_INFINITY;
  const upkeep = (): void => {
    const now = clock.now();
    chore('Adding up the history', () => history.foldEnded(now));
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      chore('Dropping old history', () => history.prune(now));
      chore('Dropping settled intents', () => connection().journal.prune(now - JOURNAL_KEPT_MS));
    }
    timer = clock.setTimeout(upkeep, FOLD_EVERY_MS);
  };
  timer = clock.setTimeout(upkeep, FOLD_EVERY_MS);

  return {
    handlers: {
      getHistory: async ({ groupID, keys, from, to, maxPoints }) => {
        const read = history.read(source(), groupID, keys, from, to, maxPoints);
        return { groupID, from: read.from, to, series: read.series };
      },
      getRecentUpdates: async ({ limit }) => history.recent(source(), limit),
      getBroadcast: async () => broadcasts.current(source()),
      startBroadcast: async ({ name }) => {
        const broadcast = broadcasts.start(source(), name ?? '', connection().session.counters.all());
        announce();
        return broadcast;
      },
      endBroadcast: async () => {
        const ended = broadcasts.end(source());
        announce();
        return ended;
      },
      getStorage: async () => storage(),
      deleteHistory: async ({ before }) => {
        await history.deleteBefore(before);
        const info = storage();
        storageListeners.emit(info);
        return info;
      },
    },
    record: (batch) => {
      const from = source();
      chore('Recording the history', () => history.record(from, batch.updates));
      chore('Noting broadcast baselines', () => broadcasts.noteUpdates(from, batch.updates) && announce());
    },
    confirmed: (from, groupID, counters) => {
      for (const [key, value] of Object.entries(counters)) history.markOwn(from, groupID, key, value.toString());
    },
    seen: (groupID, counters) => chore('Noting broadcast baselines', () => broadcasts.noteValues(source(), groupID, counters) && announce()),
    lastUpdates: (groupID, keys) => Object.fromEntries(history.lastUpdates(source(), groupID, keys)),
    onBroadcast: (listener) => broadcastListeners.add(listener),
    onStorage: (listener) => storageListeners.add(listener),
    close: () => {
      if (timer !== null) clock.clearTimeout(timer);
      stopProblems();
      history.close();
    },
  };
}

/**
 * The history on the profile's database; if its buckets turn out damaged as it opens, the damage is
 * shown (the next start moves the file aside) and this run keeps its history in memory.
 */
function openHistory(database: Database, clock: Clock, log: Logger): CounterHistory {
  try {
    return new CounterHistory(database, clock);
  } catch (error) {
    if (sqliteCode(error) !== SQLITE_CORRUPT) throw error;
    database.markDamaged((error as Error).message, log);
    return new CounterHistory(openDatabase({ now: () => clock.now(), log }).database, clock);
  }
}
