import type { ErrorInfo } from '../../shared/errors';
import { BUDGET_CALLS, BUDGET_WINDOW_MS } from '../../shared/limits';
import type { BudgetSnapshot, CounterUpdate, SessionSnapshot } from '../../shared/types';
import type { Backend } from './backend';
import type { CounterMap } from './chat/chat-like';
import type { Clock } from './clock';
import { BudgetModel } from './ledger/budget-model';
import { Journal } from './ledger/journal';
import { ReadLedger } from './ledger/read-ledger';
import { WriteLedger } from './ledger/write-ledger';
import type { Logger } from './logger';
import { Relogin } from './relogin';
import { Session } from './session/session';
import type { Database } from './store/database';

/** Calls a window may spend at once before the ledger paces the rest (writes); reads are never paced. */
const WRITE_BURST = 4;

export interface ConnectionDeps {
  clock: Clock;
  log: Logger;
  /** Where each connection's intent journal is kept. */
  database: Database;
  /** Something to tell the operator from the start (a recovered database, an imported state file). */
  notice: ErrorInfo | null;
  budgetMarginMs: number;
  onUpdate: (update: CounterUpdate) => void;
  /** The values of a write the service confirmed, on this connection's backend. */
  onConfirmed: (backend: Backend, groupID: string, counters: CounterMap) => void;
  onSession: (snapshot: SessionSnapshot) => void;
  onBudgetChange: () => void;
}

/**
 * Everything that belongs to one backend: its session, its two ledgers and its re-login policy.
 * Switching service or account closes one connection and opens another, so nothing of the first
 * (held counters, queued intents, budgets) leaks into the second.
 */
export class Connection {
  readonly session: Session;
  readonly reads: ReadLedger;
  readonly writes: WriteLedger;
  readonly journal: Journal;
  private readonly relogin: Relogin;

  constructor(
    readonly id: number,
    readonly backend: Backend,
    deps: ConnectionDeps,
  ) {
    const { clock, log } = deps;
    const chat = backend.client;
    this.session = new Session({ connection: id, chat, clock, log, backend: backend.kind, notice: deps.notice, signInTimeoutMs: backend.signInTimeoutMs });
    const budget = (burst: number) => new BudgetModel({ limit: BUDGET_CALLS, windowMs: BUDGET_WINDOW_MS, marginMs: deps.budgetMarginMs, burst });
    this.reads = new ReadLedger({ chat, clock, log, session: this.session, budget: budget(BUDGET_CALLS), onChange: deps.onBudgetChange });
    this.journal = new Journal(deps.database, backend.journalAccount, log);
    this.writes = new WriteLedger({
      chat,
      clock,
      log,
      session: this.session,
      budget: budget(WRITE_BURST),
      journal: this.journal,
      fetchFresh: (groupID) => this.reads.fetchFresh(groupID),
      onConfirmed: (groupID, counters) => deps.onConfirmed(backend, groupID, counters),
      onChange: deps.onBudgetChange,
    });
    this.relogin = new Relogin(clock, () => this.signIn());
    this.session.onCounterUpdate(deps.onUpdate);
    this.session.onChange((snapshot) => {
      this.relogin.observe(snapshot);
      deps.onSession(snapshot);
    });
  }

  /** Signs in with the backend's current credentials; rejects with the reason when it cannot. */
  signIn(): Promise<void> {
    return this.session.signIn(this.backend.credentials());
  }

  /** Both budgets as the operator sees them. */
  budget(at: number): BudgetSnapshot {
    return { at, write: this.writes.snapshot(at), read: this.reads.snapshot(at) };
  }

  /**
   * Ends the connection: what is still queued fails with `reason`, the session signs out, the
   * backend goes. With `keepOpen` (Countdeck closing) the journal keeps those changes for the next run.
   */
  async close(reason: ErrorInfo, keepOpen = false): Promise<void> {
    this.relogin.cancel();
    this.writes.close(reason, keepOpen);
    this.reads.close(reason);
    await this.session.signOut();
    this.session.close();
    await this.backend.dispose();
  }
}
