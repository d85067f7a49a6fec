import type { CountersApi } from '../../shared/counters-api';
import { ErrorCode, type ErrorInfo } from '../../shared/errors';
import { BUDGET_CALLS, BUDGET_WINDOW_MS } from '../../shared/limits';
import type { BudgetSnapshot, CounterBatch, SessionSnapshot } from '../../shared/types';
import { BudgetFeed } from './budget-feed';
import { openLocalService, type LocalChatClient, type LocalService } from './chat/local';
import { systemClock, type Clock } from './clock';
import { CounterBatcher } from './counter-batcher';
import { createHandlers } from './handlers';
import { BudgetModel } from './ledger/budget-model';
import { ReadLedger } from './ledger/read-ledger';
import { WriteLedger } from './ledger/write-ledger';
import { Listeners } from './listeners';
import { silentLogger, type Logger } from './logger';
import { callsOverDispatch, createDispatch, type Dispatch } from './router';
import { Session } from './session/session';

export interface CoreOptions {
  clock?: Clock;
  log?: Logger;
  /** An embedded service to attach to (several cores may share one); otherwise the core opens its own. */
  service?: LocalService;
  /** Where an embedded service the core opens keeps its state; absent: memory only. */
  dataDir?: string;
  /** The user this core signs in as on the embedded service. */
  userID?: string;
  /** Start the embedded service's traffic simulator. */
  simulate?: boolean;
  /** Wait after a budget window before trusting that the SDK's window closed too. */
  budgetMarginMs?: number;
}

export interface Core {
  /** The same API the preload exposes as `window.countdeck`, every argument validated. */
  api: CountersApi;
  /** The untrusted entry point for IPC: validates, never throws, answers a result. */
  dispatch: Dispatch;
  /** The embedded service behind this core, and this core's own client of it. */
  service: LocalService;
  client: LocalChatClient;
  /** The write ledger's journal of calls, for inspection. */
  writeJournal: WriteLedger['journal'];
  close(): Promise<void>;
}

/** Calls a window may spend at once before the ledger paces the rest (writes); reads are never paced. */
const WRITE_BURST = 4;

function recoveryNotice(service: LocalService): ErrorInfo | null {
  if (service.recovered === null) return null;
  return {
    code: ErrorCode.STATE_FILE_RECOVERED,
    message: `The saved counters could not be read (${service.recovered.reason}); the file was kept as ${service.recovered.backupPath} and the embedded service started fresh.`,
  };
}

/** Builds the main-process core (session, ledger, batching, validated API) without Electron. */
export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const service = options.service ?? (await openLocalService({ clock, dataDir: options.dataDir, log: (level, message) => log[level](message) }));
  const client = service.createClient({ unlimitedAVChatRoom: true });
  const session = new Session({ chat: client, clock, log, backend: 'local', notice: recoveryNotice(service) });

  const batches = new Listeners<CounterBatch>();
  const sessions = new Listeners<SessionSnapshot>();
  const budgets = new Listeners<BudgetSnapshot>();
  const marginMs = options.budgetMarginMs ?? 100;
  const budget = (burst: number) => new BudgetModel({ limit: BUDGET_CALLS, windowMs: BUDGET_WINDOW_MS, marginMs, burst });
  const budgetSnapshot = (): BudgetSnapshot => {
    const at = clock.now();
    return { at, write: writes.snapshot(at), read: reads.snapshot(at) };
  };
  const feed = new BudgetFeed(clock, budgetSnapshot, (snapshot) => budgets.emit(snapshot));
  const reads = new ReadLedger({ chat: client, clock, session, log, budget: budget(BUDGET_CALLS), onChange: () => feed.changed() });
  const writes = new WriteLedger({
    chat: client,
    clock,
    session,
    log,
    budget: budget(WRITE_BURST),
    fetchFresh: (groupID) => reads.fetchFresh(groupID),
    onChange: () => feed.changed(),
  });
  const batcher = new CounterBatcher(clock, (batch) => batches.emit(batch));
  session.onCounterUpdate((update) => batcher.push(update));
  session.onChange((snapshot) => sessions.emit(snapshot));

  const dispatch = createDispatch(createHandlers({ chat: client, clock, session, reads, writes, budget: budgetSnapshot }), log);
  const api: CountersApi = {
    ...callsOverDispatch(dispatch),
    onCounterBatch: (listener) => batches.add(listener),
    onSession: (listener) => sessions.add(listener),
    onBudget: (listener) => budgets.add(listener),
  };

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      writes.close();
      reads.close();
      batcher.close();
      feed.close();
      await session.signOut();
      session.close();
      await client.destroy();
      if (options.service === undefined) await service.close();
    })());

  await session.signIn({ userID: options.userID ?? 'operator', userSig: 'embedded' });
  if (options.simulate) service.simulator.start();
  return { api, dispatch, service, client, writeJournal: writes.journal, close };
}
