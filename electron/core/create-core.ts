import { join } from 'node:path';
import type { CountersApi } from '../../shared/counters-api';
import { ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { BudgetSnapshot, CounterBatch, PendingChange, SessionSnapshot } from '../../shared/types';
import { createAccountHandlers } from './account-handlers';
import { memoryAccountStore, type AccountStore } from './account-store';
import { embeddedBackend } from './backend';
import { BudgetFeed } from './budget-feed';
import type { ChatLike } from './chat/chat-like';
import { openLocalService, type LocalChatClient, type LocalService } from './chat/local';
import { loadTencentSdk, type SdkFactory } from './chat/tencent/sdk-surface';
import { systemClock, type Clock } from './clock';
import type { Connection } from './connection';
import { CounterBatcher } from './counter-batcher';
import { createCounterHandlers } from './counter-handlers';
import { Listeners } from './listeners';
import { silentLogger, type Logger } from './logger';
import { PendingFeed } from './pending-feed';
import { createRecords } from './records';
import { RedactingLogger } from './redacting-logger';
import { callsOverDispatch, createDispatch, type Dispatch } from './router';
import { openDatabase } from './store/database';
import { LEGACY_STATE_FILE, LEGACY_STATE_FOLDER } from './store/legacy-state';
import { SqliteServiceState } from './store/service-state-store';
import { Switchboard } from './switchboard';

export interface CoreOptions {
  clock?: Clock;
  log?: Logger;
  /** An embedded service to attach to (several cores may share one); otherwise the core opens its own. */
  service?: LocalService;
  /**
   * The profile's data folder, where the database is (the embedded service's state, the intent
   * journal, the history); absent: an in-memory database, nothing written to disk.
   */
  dataDir?: string;
  /** The user this core signs in as on the embedded service. */
  userID?: string;
  /** Start the embedded service's traffic simulator. */
  simulate?: boolean;
  /** Wait around a budget window's edge, where the SDK's clock and the ledger's may disagree. */
  budgetMarginMs?: number;
  /** Where a Tencent Cloud Chat account is remembered; default: memory only. */
  accounts?: AccountStore;
  /** How `@tencentcloud/chat` instances are made; default: the real package, loaded on first use. */
  loadSdk?: (log: Logger) => Promise<SdkFactory>;
  tencentSignInTimeoutMs?: number;
}

export interface Core {
  /** The same API the preload exposes as `window.countdeck`, every argument validated. */
  api: CountersApi;
  /** The untrusted entry point for IPC: validates, never throws, answers a result. */
  dispatch: Dispatch;
  /** The embedded service behind this core. */
  service: LocalService;
  /** The connection in use (session, ledgers), for inspection. */
  readonly connection: Connection;
  /** The embedded service's client while it is in use, for tests that simulate faults. */
  readonly client: LocalChatClient;
  /** The intent journal of the connection in use, for inspection. */
  readonly writeJournal: Connection['journal'];
  /**
   * Closes after giving queued changes up to `graceMs` to reach the service; resolves with those that
   * did not, so the operator can be told (the journal keeps them for the next run).
   */
  shutdown(graceMs: number): Promise<PendingChange[]>;
  close(): Promise<void>;
}

const CLOSED: ErrorInfo = { code: ErrorCode.CORE_CLOSED, message: 'Countdeck closed before the service confirmed this change.' };

const isLocalClient = (client: ChatLike): client is LocalChatClient => 'failNext' in client;

/**
 * Builds the main-process core without Electron: the connection in use (embedded service or a
 * Tencent Cloud Chat account), batching of counter events, budget snapshots, and the validated API.
 */
export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = new RedactingLogger(options.log ?? silentLogger);
  const opened = openDatabase({ dataDir: options.dataDir, now: () => clock.now(), log });
  const { database } = opened;
  const legacyFile = options.dataDir === undefined || database.file === null ? null : join(options.dataDir, LEGACY_STATE_FOLDER, LEGACY_STATE_FILE);
  const service =
    options.service ?? openLocalService({ clock, state: new SqliteServiceState(database, legacyFile, log), log: (level, message) => log[level](message) });
  const embeddedUserID = options.userID ?? 'operator';
  const accounts = options.accounts ?? memoryAccountStore('not-configured');

  const batches = new Listeners<CounterBatch>();
  const sessions = new Listeners<SessionSnapshot>();
  const budgets = new Listeners<BudgetSnapshot>();
  const batcher = new CounterBatcher(clock, (batch) => {
    records.record(batch);
    batches.emit(batch);
  });
  const budgetSnapshot = (): BudgetSnapshot => switchboard.current.budget(clock.now());
  const feed = new BudgetFeed(clock, budgetSnapshot, (snapshot) => budgets.emit(snapshot));
  const pending = new PendingFeed(clock, () => switchboard.current.writes.unconfirmed());
  const switchboard = new Switchboard(embeddedBackend(service, embeddedUserID), {
    clock,
    log,
    database,
    notice: opened.notice ?? service.notice,
    budgetMarginMs: options.budgetMarginMs ?? 100,
    onUpdate: (update) => batcher.push(update),
    onConfirmed: (backend, groupID, counters) => records.confirmed(backend.source, groupID, counters),
    onSession: (snapshot) => {
      sessions.emit(snapshot);
      feed.changed();
      pending.changed();
    },
    onBudgetChange: () => {
      feed.changed();
      pending.changed();
    },
    // A batch holds the updates of one service: what the old connection sent goes out under its name.
    beforeSwitch: () => batcher.flush(),
  });
  const records = createRecords({ database, clock, log, connection: () => switchboard.current });

  const accountHandlers = createAccountHandlers({
    switchboard,
    accounts,
    service,
    embeddedUserID,
    loadSdk: options.loadSdk ?? loadTencentSdk,
    log,
    tencentSignInTimeoutMs: options.tencentSignInTimeoutMs,
  });
  const counterHandlers = createCounterHandlers({
    clock,
    connection: () => switchboard.current,
    budget: budgetSnapshot,
    lastUpdates: records.lastUpdates,
    seen: records.seen,
  });
  const dispatch = createDispatch({ ...counterHandlers, ...accountHandlers.handlers, ...records.handlers }, log);
  const api: CountersApi = {
    ...callsOverDispatch(dispatch),
    onCounterBatch: (listener) => batches.add(listener),
    onSession: (listener) => sessions.add(listener),
    onBudget: (listener) => budgets.add(listener),
    onBroadcast: records.onBroadcast,
    onStorage: records.onStorage,
    onPendingChanges: (listener) => pending.add(listener),
  };

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      batcher.flush();
      batcher.close();
      feed.close();
      pending.close();
      await switchboard.close(CLOSED);
      if (options.service === undefined) await service.close();
      records.close();
      database.close();
    })());

  const shutdown = async (graceMs: number): Promise<PendingChange[]> => {
    const deadline = clock.now() + graceMs;
    const { writes, session } = switchboard.current;
    while (writes.unconfirmed().length > 0 && session.isReady && clock.now() < deadline) {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 50));
    }
    const unsent = writes.unconfirmed();
    for (const change of unsent) log.warn(`Not sent before closing: ${change.groupID} ${change.key} ${change.change}`);
    await close();
    return unsent;
  };

  if (!(await accountHandlers.resume())) await switchboard.current.signIn();
  if (options.simulate) service.simulator.start();
  return {
    api,
    dispatch,
    service,
    shutdown,
    close,
    get connection() {
      return switchboard.current;
    },
    get client() {
      const { client } = switchboard.current.backend;
      if (!isLocalClient(client)) throw new Error('The embedded service is not in use.');
      return client;
    },
    get writeJournal() {
      return switchboard.current.journal;
    },
  };
}
