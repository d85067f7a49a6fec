import { CountdeckError, ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { BudgetWindow } from '../../../shared/types';
import type { ChatLike } from '../chat/chat-like';
import type { Clock } from '../clock';
import { toErrorInfo } from '../error-info';
import type { Logger } from '../logger';
import { WakeTimer } from '../wake-timer';
import { isTerminal } from '../session/session-state';
import type { Session } from '../session/session';
import type { BudgetModel } from './budget-model';
import type { GroupSnapshot } from './reconcile';

export interface ReadLedgerDeps {
  chat: ChatLike;
  clock: Clock;
  session: Session;
  log: Logger;
  budget: BudgetModel;
  onChange: () => void;
  /** 2996 answers in a row after which waiting readers are told. */
  maxRefusals?: number;
}

interface Waiter {
  resolve: (snapshot: GroupSnapshot) => void;
  reject: (error: CountdeckError) => void;
}

/** A held answer or a fetched one. */
export interface ReadResult {
  counters: Map<string, bigint>;
  /** Keys whose values the service could not send exactly. */
  inexact: string[];
  source: 'held' | 'service';
}

/**
 * The read side of the ledger: answers from the counters the session holds while they are fresh,
 * otherwise fetches the whole group (as the SDK does) within the read budget, one fetch per group
 * however many readers wait for it. A 2996 is retried at the next free slot.
 */
export class ReadLedger {
  private readonly waiting = new Map<string, Waiter[]>();
  private inFlight = 0;
  private readonly wakeUp: WakeTimer;
  /** Why the ledger stopped, once it has. */
  private closedBecause: ErrorInfo | null = null;

  constructor(private readonly deps: ReadLedgerDeps) {
    this.wakeUp = new WakeTimer(deps.clock, () => this.pump());
    deps.session.onReady(() => this.pump());
  }

  /** Reads a group's counters, or the listed keys of it. */
  async read(groupID: string, keyList?: readonly string[]): Promise<ReadResult> {
    const { session, clock } = this.deps;
    const held = session.isReady && session.counters.isFresh(groupID, clock.now());
    if (!held) await this.fetchFresh(groupID);
    return {
      counters: session.counters.values(groupID, keyList),
      inexact: session.counters.inexactKeys(groupID, keyList),
      source: held ? 'held' : 'service',
    };
  }

  /** Fetches a group from the service, joining a fetch that has not been sent yet. */
  fetchFresh(groupID: string): Promise<GroupSnapshot> {
    if (this.closedBecause !== null) return Promise.reject(CountdeckError.from(this.closedBecause));
    if (isTerminal(this.deps.session.current)) {
      return Promise.reject(new CountdeckError(ErrorCode.SDK_NOT_READY, 'Not signed in: sign in to read counters.'));
    }
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(groupID) ?? [];
      waiters.push({ resolve, reject });
      this.waiting.set(groupID, waiters);
      queueMicrotask(() => this.pump());
    });
  }

  /** The read budget as the operator sees it. */
  snapshot(now: number): BudgetWindow {
    return this.deps.budget.snapshot(now, this.waiting.size, this.inFlight);
  }

  /** Stops reading; waiting readers are told why. */
  close(reason: ErrorInfo): void {
    this.closedBecause = reason;
    this.wakeUp.cancel();
    this.rejectAll(reason);
  }

  private pump(): void {
    const { session, clock, budget } = this.deps;
    if (this.closedBecause !== null) return;
    if (isTerminal(session.current)) {
      this.rejectAll({ code: ErrorCode.SDK_NOT_READY, message: 'Signed out before this read was answered.' });
      return;
    }
    if (!session.isReady) return;
    for (const [groupID, waiters] of this.waiting) {
      const now = clock.now();
      if (!budget.canSend(now)) {
        this.wakeUp.in(budget.nextSlotAt(now) - now);
        break;
      }
      this.waiting.delete(groupID);
      void this.send(groupID, waiters, now);
    }
    this.deps.onChange();
  }

  private async send(groupID: string, waiters: Waiter[], now: number): Promise<void> {
    const { chat, clock, session, budget, log } = this.deps;
    budget.record(now);
    this.inFlight += 1;
    try {
      const { data } = await chat.getGroupCounters({ groupID });
      budget.accepted();
      const counters = new Map(Object.entries(data.counters));
      session.publishChanges(session.counters.applySnapshot(groupID, counters, data.groupCounterSeq, clock.now(), data.inexact));
      for (const waiter of waiters) waiter.resolve({ counters, seq: data.groupCounterSeq });
    } catch (error) {
      const reason = toErrorInfo(error);
      if (reason.code === ErrorCode.OVER_FREQUENCY_LIMIT) budget.refused(clock.now());
      if (reason.code === ErrorCode.OVER_FREQUENCY_LIMIT && budget.refusals < this.maxRefusals) {
        log.warn(`The service refused a read of ${groupID} (2996); retrying at the next free slot.`);
        this.waiting.set(groupID, [...waiters, ...(this.waiting.get(groupID) ?? [])]);
      } else {
        const final = reason.code === ErrorCode.OVER_FREQUENCY_LIMIT ? this.refusedTooOften(groupID) : reason;
        for (const waiter of waiters) waiter.reject(CountdeckError.from(final));
      }
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }

  private get maxRefusals(): number {
    return this.deps.maxRefusals ?? 5;
  }

  private refusedTooOften(groupID: string): ErrorInfo {
    return {
      code: ErrorCode.OVER_FREQUENCY_LIMIT,
      message: `The service refused ${this.maxRefusals} reads of ${groupID} in a row (2996, over its frequency limit); try again in a few seconds.`,
    };
  }


  private rejectAll(reason: ErrorInfo): void {
    for (const waiters of this.waiting.values()) {
      for (const waiter of waiters) waiter.reject(CountdeckError.from(reason));
    }
    this.waiting.clear();
  }
}
