import { CountdeckError, ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { BudgetWindow } from '../../../shared/types';
import type { ChatLike, CounterMap } from '../chat/chat-like';
import type { Clock } from '../clock';
import { toErrorInfo } from '../error-info';
import type { Logger } from '../logger';
import { WakeTimer } from '../wake-timer';
import type { Session } from '../session/session';
import type { BudgetModel } from './budget-model';
import { Intent, type ConfirmedValues } from './intent';
import { Journal, type JournalEntry } from './journal';
import { judgeResent, reconcile, type GroupSnapshot } from './reconcile';
import { WriteQueue, type Phase, type PlannedCall } from './write-queue';

export interface WriteLedgerDeps {
  chat: ChatLike;
  clock: Clock;
  session: Session;
  log: Logger;
  budget: BudgetModel;
  /** Reads a group fresh from the service (spending read budget), to reconcile unknown outcomes. */
  fetchFresh: (groupID: string) => Promise<GroupSnapshot>;
  /** Called whenever the queue or the budget changed. */
  onChange: () => void;
}

/** Errors that say the service may or may not have applied the call. */
const UNKNOWN_OUTCOME = new Set<number>([ErrorCode.NETWORK_TIMEOUT, ErrorCode.NETWORK_ERROR, ErrorCode.NO_NETWORK]);

/** Errors about one intent's content: in a merged call they are retried intent by intent. */
const CONTENT_ERRORS = new Set<number>([
  ErrorCode.INVALID_PARAMETER,
  ErrorCode.VALUE_NOT_EXACT,
  ErrorCode.KEY_INVALID,
  ErrorCode.KEY_TOO_LONG,
  ErrorCode.VALUE_OUT_OF_RANGE,
  ErrorCode.TOO_MANY_COUNTERS,
  ErrorCode.RESULT_OUT_OF_RANGE,
]);

/** A change not yet confirmed by the service. */
export interface UnconfirmedChange {
  groupID: string;
  key: string;
  /** "= 100", "+5" or "−3". */
  change: string;
}

function describeChange(kind: 'set' | 'delta', value: bigint): string {
  if (kind === 'set') return `= ${value}`;
  return value >= 0n ? `+${value}` : `−${-value}`;
}

const phasesOf = (call: PlannedCall): Phase[] => (call.kind === 'set' ? call.phases : [call.phase]);
const slotOf = (groupID: string, key: string): string => `${groupID}\u0000${key}`;

/**
 * The write side of the rate-limit ledger: intents wait in a merging queue, leave as calls when the
 * write budget has a slot, and each caller's promise settles with the confirmed result of the call
 * that carried its intent. Writes never fail for lack of budget.
 */
export class WriteLedger {
  readonly journal = new Journal();
  private readonly queue = new WriteQueue();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<PlannedCall>();
  private readonly parked: JournalEntry[] = [];
  /** Deltas that were on their way when the link dropped: the SDK sends them again by itself. */
  private readonly interrupted = new Set<PlannedCall>();
  private nextIntentID = 1;
  private readonly wakeUp: WakeTimer;
  private pumpScheduled = false;
  /** Why the ledger stopped, once it has. */
  private closedBecause: ErrorInfo | null = null;

  constructor(private readonly deps: WriteLedgerDeps) {
    this.wakeUp = new WakeTimer(deps.clock, () => this.schedulePump());
    deps.session.onReady(() => {
      this.reconcileParked();
      this.schedulePump();
    });
    deps.session.onChange(({ state }) => {
      if (state === 'reconnecting') for (const call of this.inFlight) if (call.kind === 'delta') this.interrupted.add(call);
    });
  }

  /** Sets several counters of one group; resolves with the values the service confirmed. */
  set(groupID: string, counters: ReadonlyMap<string, bigint>): Promise<ConfirmedValues> {
    return this.enqueue(groupID, counters.size, (intent, now) => {
      for (const [key, value] of counters) this.queue.addSet({ intent, key, kind: 'set', value }, groupID, now);
    });
  }

  /** Changes one counter by a signed delta; resolves with the value the service confirmed. */
  change(groupID: string, key: string, delta: bigint): Promise<ConfirmedValues> {
    return this.enqueue(groupID, 1, (intent, now) => this.queue.addDelta({ intent, key, kind: 'delta', value: delta }, groupID, now));
  }

  /** Calls sent and not yet confirmed: in flight, or waiting to be reconciled. */
  private sentUnconfirmed(): PlannedCall[] {
    return [...this.inFlight, ...this.parked.map((entry) => entry.call)];
  }

  /** The keys of a group that queued or unconfirmed changes will create or touch. */
  pendingKeys(groupID: string): Set<string> {
    const keys = new Set(this.queue.waitingKeys(groupID));
    for (const call of this.sentUnconfirmed()) {
      if (call.groupID === groupID) for (const phase of phasesOf(call)) keys.add(phase.key);
    }
    return keys;
  }

  /** Every change not confirmed yet (waiting, in flight or being reconciled), as the operator would say it. */
  unconfirmed(): UnconfirmedChange[] {
    const parts = [
      ...this.queue.waitingParts(),
      ...this.sentUnconfirmed().flatMap((call) => phasesOf(call).flatMap((phase) => phase.parts)),
    ];
    return parts
      .filter((part) => !part.intent.settled)
      .map((part) => ({ groupID: part.intent.groupID, key: part.key, change: describeChange(part.kind, part.value) }));
  }

  /** The write budget as the operator sees it. */
  snapshot(now: number): BudgetWindow {
    return this.deps.budget.snapshot(now, this.queue.waitingIntents(), this.inFlight.size);
  }

  /** Stops sending; every intent not yet confirmed fails, saying why. */
  close(reason: ErrorInfo): void {
    this.closedBecause = reason;
    this.wakeUp.cancel();
    for (const part of this.queue.drain()) part.intent.fail(reason);
    for (const call of this.inFlight) this.failCall(call, reason);
    for (const entry of this.parked.splice(0)) this.failCall(entry.call, reason);
  }

  private enqueue(groupID: string, parts: number, add: (intent: Intent, now: number) => void): Promise<ConfirmedValues> {
    if (this.closedBecause !== null) return Promise.reject(CountdeckError.from(this.closedBecause));
    return new Promise((resolve, reject) => {
      const now = this.deps.clock.now();
      add(new Intent(this.nextIntentID++, groupID, now, parts, resolve, reject), now);
      this.schedulePump();
    });
  }

  /** Pumps once after the current burst of calls, so intents queued together merge. */
  private schedulePump(): void {
    if (this.pumpScheduled || this.closedBecause !== null) return;
    this.pumpScheduled = true;
    queueMicrotask(() => this.pump());
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (this.closedBecause !== null || !this.deps.session.isReady) return this.deps.onChange();
    const isBusy = (groupID: string, key: string): boolean => this.busy.has(slotOf(groupID, key));
    for (let call = this.queue.take(isBusy); call !== null; call = this.queue.take(isBusy)) {
      if (call.kind === 'delta' && call.phase.value === 0n) {
        this.settleNetZero(call.phase);
        continue;
      }
      const now = this.deps.clock.now();
      if (!this.deps.budget.canSend(now)) {
        this.queue.putBack(phasesOf(call));
        this.wakeUp.in(this.deps.budget.nextSlotAt(now) - now);
        break;
      }
      void this.send(call, now);
    }
    this.deps.onChange();
  }


  /** Increases and decreases that cancel out: nothing is sent, each settles with the value held. */
  private settleNetZero(phase: Phase): void {
    const held = this.deps.session.counters.value(phase.groupID, phase.key);
    for (const part of phase.parts) part.intent.confirmPart(phase.key, held);
  }

  private async send(call: PlannedCall, now: number): Promise<void> {
    this.deps.budget.record(now);
    const phases = phasesOf(call);
    const counters = this.deps.session.counters;
    const before = {
      values: new Map(phases.map((phase) => [phase.key, counters.value(call.groupID, phase.key)])),
      seq: counters.sequence(call.groupID),
    };
    const entry = this.journal.open(call, before, now);
    for (const phase of phases) this.busy.add(slotOf(call.groupID, phase.key));
    this.inFlight.add(call);
    let parked = false;
    try {
      const response = await this.invoke(call);
      this.deps.budget.accepted();
      if (this.interrupted.delete(call)) {
        parked = true;
        void this.verifyResent(entry);
      } else {
        this.journal.close(entry, 'confirmed');
        this.confirm(phases, response.data.counters);
      }
    } catch (error) {
      this.interrupted.delete(call);
      parked = this.onFailure(entry, toErrorInfo(error));
    } finally {
      this.inFlight.delete(call);
      if (!parked) this.release(phases);
      this.schedulePump();
    }
  }

  private invoke(call: PlannedCall): Promise<{ data: { counters: CounterMap } }> {
    const { chat } = this.deps;
    if (call.kind === 'set') {
      const counters = Object.fromEntries(call.phases.map((phase) => [phase.key, phase.value]));
      return chat.setGroupCounters({ groupID: call.groupID, counters });
    }
    const { key, value } = call.phase;
    return value > 0n
      ? chat.increaseGroupCounter({ groupID: call.groupID, key, value })
      : chat.decreaseGroupCounter({ groupID: call.groupID, key, value: -value });
  }

  private confirm(phases: readonly Phase[], counters: CounterMap): void {
    for (const phase of phases) {
      for (const part of phase.parts) part.intent.confirmPart(phase.key, counters[phase.key]);
    }
  }

  /** Decides what a failed call means; true when it is parked awaiting reconciliation. */
  private onFailure(entry: JournalEntry, error: ErrorInfo): boolean {
    if (this.closedBecause !== null) return false;
    const { call } = entry;
    const phases = phasesOf(call);
    if (error.code === ErrorCode.OVER_FREQUENCY_LIMIT) {
      this.deps.budget.refused(this.deps.clock.now());
      this.journal.close(entry, 'refused');
      this.deps.log.warn(`The service refused a write (2996) ${this.deps.budget.refusals} time(s) in a row; it will be retried.`);
      this.queue.putBack(phases);
      return false;
    }
    if (UNKNOWN_OUTCOME.has(error.code)) {
      this.journal.close(entry, 'unknown');
      this.deps.log.warn(`Write call ${entry.id}: outcome unknown (${error.code}); reconciling before any retry.`);
      this.parked.push(entry);
      if (this.deps.session.isReady) this.reconcileParked();
      return true;
    }
    this.journal.close(entry, 'failed');
    if (CONTENT_ERRORS.has(error.code) && entry.intentIDs.length > 1) {
      this.queue.splitBack(phases);
    } else {
      this.failCall(call, error);
    }
    return false;
  }

  private reconcileParked(): void {
    for (const entry of this.parked.splice(0)) void this.reconcileOne(entry);
  }

  private async reconcileOne(entry: JournalEntry): Promise<void> {
    const phases = phasesOf(entry.call);
    try {
      const fresh = await this.deps.fetchFresh(entry.call.groupID);
      const verdict = reconcile(entry, fresh);
      if (verdict === 'applied') {
        this.journal.close(entry, 'reconciled-applied');
        this.confirm(phases, Object.fromEntries(fresh.counters));
      } else if (verdict === 'not-applied') {
        this.journal.close(entry, 'reconciled-resent');
        this.queue.putBack(phases);
      } else {
        this.journal.close(entry, 'reconciled-ambiguous');
        this.failCall(entry.call, {
          code: ErrorCode.OUTCOME_UNKNOWN,
          message: 'The link dropped before the service confirmed this change, and the counter moved since: check its value before trying again.',
        });
      }
    } catch (error) {
      const reason = toErrorInfo(error);
      if (reason.code === ErrorCode.SDK_NOT_READY) {
        this.parked.push(entry);
        return;
      }
      this.journal.close(entry, 'reconciled-ambiguous');
      this.failCall(entry.call, { code: ErrorCode.OUTCOME_UNKNOWN, message: `Could not confirm this change: ${reason.message}` });
    }
    this.release(phases);
    this.schedulePump();
  }

  /** A delta the SDK may have applied twice (sent, link lost, sent again): checked, and undone once if so. */
  private async verifyResent(entry: JournalEntry): Promise<void> {
    const phases = phasesOf(entry.call);
    try {
      const fresh = await this.deps.fetchFresh(entry.call.groupID);
      const verdict = judgeResent(entry, fresh);
      if (verdict === 'ambiguous') throw new Error('the counter moved in the meantime');
      for (const phase of phases) {
        const now = fresh.counters.get(phase.key) ?? 0n;
        if (verdict === 'twice') this.undoDuplicate(phase);
        this.confirm([phase], { [phase.key]: verdict === 'twice' ? now - phase.value : now });
      }
      this.journal.close(entry, verdict === 'twice' ? 'reconciled-doubled' : 'reconciled-applied');
    } catch (error) {
      this.journal.close(entry, 'reconciled-ambiguous');
      this.failCall(entry.call, {
        code: ErrorCode.OUTCOME_UNKNOWN,
        message: `The link dropped while this change was on its way and the SDK sent it again; Countdeck cannot tell whether it counted once or twice (${toErrorInfo(error).message}). Check the value.`,
      });
    }
    this.release(phases);
    this.schedulePump();
  }

  /** Queues the opposite of a change the service applied twice; no caller waits on it. */
  private undoDuplicate(phase: Phase): void {
    const now = this.deps.clock.now();
    const reportFailure = (error: CountdeckError) => this.deps.log.error(`Undoing a duplicate of ${phase.key} in ${phase.groupID} failed: ${error.message}`);
    const intent = new Intent(this.nextIntentID++, phase.groupID, now, 1, () => {}, reportFailure);
    this.deps.log.warn(`${phase.groupID} ${phase.key}: the SDK re-sent a change the service had applied; undoing the duplicate.`);
    this.queue.addDelta({ intent, key: phase.key, kind: 'delta', value: -phase.value }, phase.groupID, now);
  }

  private release(phases: readonly Phase[]): void {
    for (const phase of phases) this.busy.delete(slotOf(phase.groupID, phase.key));
  }

  private failCall(call: PlannedCall, error: ErrorInfo): void {
    for (const phase of phasesOf(call)) for (const part of phase.parts) part.intent.fail(error);
  }
}
