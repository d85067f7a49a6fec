import { CountdeckError, ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { BudgetWindow, PendingChange } from '../../../shared/types';
import type { ChatLike, CounterMap } from '../chat/chat-like';
import type { Clock } from '../clock';
import { toErrorInfo } from '../error-info';
import type { Logger } from '../logger';
import { WakeTimer } from '../wake-timer';
import type { Session } from '../session/session';
import type { BudgetModel } from './budget-model';
import { Intent, type ConfirmedValues } from './intent';
import type { IntentPart, Journal, JournalEntry, OpenCall, OpenIntent } from './journal';
import { judgeResent, reconcile, type GroupSnapshot } from './reconcile';
import { WriteQueue, type Part, type Phase, type PlannedCall } from './write-queue';

export interface WriteLedgerDeps {
  chat: ChatLike;
  clock: Clock;
  session: Session;
  log: Logger;
  budget: BudgetModel;
  /** Where intents are written before they are accepted, and what earlier runs left open is found. */
  journal: Journal;
  /** Reads a group fresh from the service (spending read budget), to reconcile unknown outcomes. */
  fetchFresh: (groupID: string) => Promise<GroupSnapshot>;
  /** Hears the values of each write the service confirmed. */
  onConfirmed: (groupID: string, counters: CounterMap) => void;
  /** Called whenever the queue or the budget changed. */
  onChange: () => void;
}

/** How long a call waits to be sent again when the journal could not record it going out. */
const JOURNAL_RETRY_MS = 1_000;

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
  private readonly queue = new WriteQueue();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<PlannedCall>();
  private readonly parked: JournalEntry[] = [];
  /** Calls whose outcome is being checked against a fresh read. */
  private readonly checking = new Set<JournalEntry>();
  /** Deltas that were on their way when the link dropped: the SDK sends them again by itself. */
  private readonly interrupted = new Set<PlannedCall>();
  /** The intents not settled yet, by id. */
  private readonly intents = new Map<number, Intent>();
  /** Intents an earlier run accepted, resumed by this one. */
  private readonly resumed = new Set<number>();
  /**
   * Groups with resumed changes, read once before those go out: a call sent with the values before
   * it known can be proved applied or not if its outcome is lost again.
   */
  private readonly unread = new Set<string>();
  private readonly wakeUp: WakeTimer;
  private pumpScheduled = false;
  /** Why the ledger stopped, once it has. */
  private closedBecause: ErrorInfo | null = null;
  /** Set when the ledger stops with Countdeck: what is open stays open in the journal, for the next run. */
  private keepOpen = false;

  constructor(private readonly deps: WriteLedgerDeps) {
    this.wakeUp = new WakeTimer(deps.clock, () => this.schedulePump());
    this.resume(deps.journal.open());
    deps.session.onReady(() => {
      this.readResumedGroups();
      this.reconcileParked();
      this.schedulePump();
    });
    deps.session.onChange(({ state }) => {
      if (state === 'reconnecting') for (const call of this.inFlight) if (call.kind === 'delta') this.interrupted.add(call);
    });
  }

  /** Sets several counters of one group; resolves with the values the service confirmed. */
  set(groupID: string, counters: ReadonlyMap<string, bigint>): Promise<ConfirmedValues> {
    return this.enqueue(groupID, [...counters].map(([key, value]) => ({ key, kind: 'set', value })));
  }

  /** Changes one counter by a signed delta; resolves with the value the service confirmed. */
  change(groupID: string, key: string, delta: bigint): Promise<ConfirmedValues> {
    return this.enqueue(groupID, [{ key, kind: 'delta', value: delta }]);
  }

  /** Calls sent and not yet confirmed: in flight, or waiting to be reconciled. */
  private sentUnconfirmed(): PlannedCall[] {
    return [...this.inFlight, ...[...this.parked, ...this.checking].map((entry) => entry.call)];
  }

  /** The keys of a group that queued or unconfirmed changes will create or touch. */
  pendingKeys(groupID: string): Set<string> {
    const keys = new Set(this.queue.waitingKeys(groupID));
    for (const call of this.sentUnconfirmed()) {
      if (call.groupID === groupID) for (const phase of phasesOf(call)) keys.add(phase.key);
    }
    return keys;
  }

  /** Every change not confirmed yet (waiting, on its way or being checked), as the operator would say it. */
  unconfirmed(): PendingChange[] {
    const describe = (state: PendingChange['state']) => (part: Part): PendingChange => ({
      intentID: part.intent.id,
      groupID: part.intent.groupID,
      key: part.key,
      change: describeChange(part.kind, part.value),
      state,
      resumed: this.resumed.has(part.intent.id),
      acceptedAt: part.intent.enqueuedAt,
    });
    const partsOf = (calls: Iterable<PlannedCall>) => [...calls].flatMap((call) => phasesOf(call).flatMap((phase) => phase.parts));
    return [
      ...this.queue.waitingParts().map(describe('queued')),
      ...partsOf(this.inFlight).map(describe('sending')),
      ...partsOf([...this.parked, ...this.checking].map((entry) => entry.call)).map(describe('checking')),
    ].filter((change) => !this.settledIntent(change.intentID));
  }

  private settledIntent(id: number): boolean {
    return this.intents.get(id)?.settled ?? true;
  }

  /** The write budget as the operator sees it. */
  snapshot(now: number): BudgetWindow {
    return this.deps.budget.snapshot(now, this.queue.waitingIntents(), this.inFlight.size);
  }

  /**
   * Stops sending; every intent not yet confirmed fails, saying why. With `keepOpen` (Countdeck
   * closing) the journal keeps them open, and the next run resumes them.
   */
  close(reason: ErrorInfo, keepOpen = false): void {
    this.closedBecause = reason;
    this.keepOpen = keepOpen;
    this.wakeUp.cancel();
    for (const part of this.queue.drain()) part.intent.fail(reason);
    for (const call of this.inFlight) this.failCall(call, reason);
    for (const entry of [...this.parked.splice(0), ...this.checking]) this.failCall(entry.call, reason);
  }

  private enqueue(groupID: string, parts: readonly IntentPart[]): Promise<ConfirmedValues> {
    if (this.closedBecause !== null) return Promise.reject(CountdeckError.from(this.closedBecause));
    return new Promise((resolve, reject) => {
      const now = this.deps.clock.now();
      const id = this.deps.journal.accept(groupID, parts, now);
      const intent = this.track(new Intent(id, groupID, now, parts.length, resolve, reject));
      for (const part of parts) this.queueFor(intent, part, now);
      this.schedulePump();
    });
  }

  /** Keeps an intent until it settles, recording its end in the journal (unless Countdeck closes with it open). */
  private track(intent: Intent): Intent {
    this.intents.set(intent.id, intent);
    intent.onSettled((failure) => {
      this.intents.delete(intent.id);
      if (failure === null || !this.keepOpen) this.deps.journal.settle(intent.id, failure, this.deps.clock.now());
    });
    return intent;
  }

  private queueFor(intent: Intent, part: IntentPart, now: number): void {
    const queued: Part = { intent, ...part };
    if (part.kind === 'set') this.queue.addSet(queued, intent.groupID, now);
    else this.queue.addDelta(queued, intent.groupID, now);
  }

  /**
   * Takes up what an earlier run left open: parts that were waiting wait again, in the order they
   * were accepted; calls whose outcome was never heard are checked against a fresh read once the
   * session is ready, before anything on their keys is sent.
   */
  private resume({ intents, calls }: { intents: OpenIntent[]; calls: Map<number, OpenCall> }): void {
    const carried = new Map<number, Part[]>();
    for (const open of intents) {
      const intent = this.track(new Intent(open.id, open.groupID, open.acceptedAt, open.parts.length, () => {}, () => {}));
      this.resumed.add(open.id);
      for (const { callID, ...part } of open.parts) {
        if (callID === null) {
          this.queueFor(intent, part, open.acceptedAt);
          this.unread.add(open.groupID);
        }
        else carried.set(callID, [...(carried.get(callID) ?? []), { intent, ...part }]);
      }
    }
    for (const [callID, parts] of carried) {
      const stored = calls.get(callID)!;
      if (stored.outcome === 'confirmed' || stored.outcome === 'reconciled-applied' || stored.outcome === 'reconciled-doubled') {
        // The earlier run heard the service confirm it and died settling its intents: the journal is the proof.
        for (const part of parts) part.intent.confirmPart(part.key, undefined);
        continue;
      }
      const phases = [...stored.payload].map(([key, value]): Phase => ({
        groupID: stored.groupID,
        key,
        kind: stored.kind,
        value,
        parts: parts.filter((part) => part.key === key),
        solo: null,
        since: stored.sentAt,
      }));
      const call: PlannedCall = stored.kind === 'set' ? { kind: 'set', groupID: stored.groupID, phases } : { kind: 'delta', groupID: stored.groupID, phase: phases[0]! };
      for (const phase of phases) this.busy.add(slotOf(stored.groupID, phase.key));
      const intentIDs = [...new Set(parts.map((part) => part.intent.id))];
      this.parked.push({ id: callID, call, intentIDs, sentAt: stored.sentAt, before: stored.before, outcome: 'unknown' });
    }
    if (intents.length > 0) this.deps.log.info(`Resumed ${intents.length} change(s) an earlier run had not seen confirmed; ${carried.size} call(s) to check first.`);
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
    const isBusy = (groupID: string, key: string): boolean => this.busy.has(slotOf(groupID, key)) || this.unread.has(groupID);
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
    const phases = phasesOf(call);
    const counters = this.deps.session.counters;
    // A key absent from a group read in full is at 0: the service creates it there.
    const absent = counters.hasSnapshot(call.groupID) ? 0n : undefined;
    const before = {
      values: new Map(phases.map((phase) => [phase.key, counters.value(call.groupID, phase.key) ?? absent])),
      seq: counters.sequence(call.groupID),
    };
    let entry: JournalEntry;
    try {
      entry = this.deps.journal.send(call, before, now);
    } catch (error) {
      // Sent without a record, a crash now would leave its outcome unknowable: it waits for the disk.
      this.deps.log.warn(`A write waits: the journal could not record it (${toErrorInfo(error).message}).`);
      this.queue.putBack(phases);
      this.wakeUp.in(JOURNAL_RETRY_MS);
      return;
    }
    this.deps.budget.record(now);
    for (const phase of phases) this.busy.add(slotOf(call.groupID, phase.key));
    this.inFlight.add(call);
    let parked = false;
    try {
      const response = await this.invoke(call);
      this.deps.budget.accepted();
      if (this.interrupted.delete(call)) {
        parked = true;
        this.check(entry, () => this.verifyResent(entry));
      } else {
        this.deps.journal.close(entry, 'confirmed');
        this.confirm(call.groupID, phases, response.data.counters);
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

  private confirm(groupID: string, phases: readonly Phase[], counters: CounterMap): void {
    this.deps.onConfirmed(groupID, counters);
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
      this.deps.journal.close(entry, 'refused', true);
      this.deps.log.warn(`The service refused a write (2996) ${this.deps.budget.refusals} time(s) in a row; it will be retried.`);
      this.queue.putBack(phases);
      return false;
    }
    if (UNKNOWN_OUTCOME.has(error.code)) {
      this.deps.journal.close(entry, 'unknown');
      this.deps.log.warn(`Write call ${entry.id}: outcome unknown (${error.code}); reconciling before any retry.`);
      this.parked.push(entry);
      if (this.deps.session.isReady) this.reconcileParked();
      return true;
    }
    const retried = CONTENT_ERRORS.has(error.code) && entry.intentIDs.length > 1;
    this.deps.journal.close(entry, 'failed', retried);
    if (retried) {
      this.queue.splitBack(phases);
    } else {
      this.failCall(call, error);
    }
    return false;
  }

  private readResumedGroups(): void {
    for (const groupID of this.unread) {
      this.deps
        .fetchFresh(groupID)
        .catch(() => undefined) // what went wrong, the change's own call says
        .finally(() => {
          this.unread.delete(groupID);
          this.schedulePump();
        });
    }
  }

  private reconcileParked(): void {
    for (const entry of this.parked.splice(0)) this.check(entry, () => this.reconcileOne(entry));
  }

  /** Checks a call's outcome, showing it as being checked meanwhile. */
  private check(entry: JournalEntry, work: () => Promise<void>): void {
    this.checking.add(entry);
    void work().finally(() => this.checking.delete(entry));
  }

  private async reconcileOne(entry: JournalEntry): Promise<void> {
    const phases = phasesOf(entry.call);
    try {
      const fresh = await this.deps.fetchFresh(entry.call.groupID);
      const verdict = reconcile(entry, fresh);
      if (verdict === 'applied') {
        this.deps.journal.close(entry, 'reconciled-applied');
        this.confirm(entry.call.groupID, phases, Object.fromEntries(fresh.counters));
      } else if (verdict === 'not-applied') {
        this.deps.journal.close(entry, 'reconciled-resent', true);
        this.queue.putBack(phases);
      } else {
        this.deps.journal.close(entry, 'reconciled-ambiguous');
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
      this.deps.journal.close(entry, 'reconciled-ambiguous');
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
        this.confirm(entry.call.groupID, [phase], { [phase.key]: verdict === 'twice' ? now - phase.value : now });
      }
      this.deps.journal.close(entry, verdict === 'twice' ? 'reconciled-doubled' : 'reconciled-applied');
    } catch (error) {
      this.deps.journal.close(entry, 'reconciled-ambiguous');
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
    this.deps.log.warn(`${phase.groupID} ${phase.key}: the SDK re-sent a change the service had applied; undoing the duplicate.`);
    this.enqueue(phase.groupID, [{ key: phase.key, kind: 'delta', value: -phase.value }]).catch((error: CountdeckError) =>
      this.deps.log.error(`Undoing a duplicate of ${phase.key} in ${phase.groupID} failed: ${error.message}`),
    );
  }

  private release(phases: readonly Phase[]): void {
    for (const phase of phases) this.busy.delete(slotOf(phase.groupID, phase.key));
  }

  private failCall(call: PlannedCall, error: ErrorInfo): void {
    for (const phase of phasesOf(call)) for (const part of phase.parts) part.intent.fail(error);
  }
}
