import type { ErrorInfo } from '../../../shared/errors';
import type { Logger } from '../logger';
import type { Database } from '../store/database';
import type { PlannedCall } from './write-queue';

export type JournalOutcome =
  | 'in-flight'
  | 'confirmed'
  | 'refused'
  | 'failed'
  | 'unknown'
  | 'reconciled-applied'
  | 'reconciled-resent'
  | 'reconciled-doubled'
  | 'reconciled-ambiguous';

/** What the session held just before a call went out: the base for judging an unknown outcome. */
export interface BeforeCall {
  values: Map<string, bigint | undefined>;
  seq: number | undefined;
}

/** A call the ledger sent, with its intents and what became of it. */
export interface JournalEntry {
  id: number;
  call: PlannedCall;
  intentIDs: number[];
  sentAt: number;
  before: BeforeCall;
  outcome: JournalOutcome;
}

/** One key of an accepted intent: the value to set, or the signed change. */
export interface IntentPart {
  key: string;
  kind: 'set' | 'delta';
  value: bigint;
}

/** An intent an earlier run accepted and did not see settled. */
export interface OpenIntent {
  id: number;
  groupID: string;
  acceptedAt: number;
  /** Each part, and the call that carried it if one went out (its outcome then unknown). */
  parts: (IntentPart & { callID: number | null })[];
}

/** A call an earlier run sent and never heard the outcome of. */
export interface OpenCall {
  id: number;
  /** What the earlier run recorded of it: 'in-flight' or 'unknown' when it never heard, 'confirmed' when it died settling. */
  outcome: JournalOutcome;
  groupID: string;
  kind: 'set' | 'delta';
  /** What it asked for, per key. */
  payload: Map<string, bigint>;
  before: BeforeCall;
  sentAt: number;
}

/** The calls the journal lists for inspection, newest last. */
const RECENT_CALLS = 1_000;

type Decimals = [string, string | null][];

const phasesOf = (call: PlannedCall) => (call.kind === 'set' ? call.phases : [call.phase]);

/**
 * The write-ahead intent journal of one account: an intent is written before its caller's promise
 * is accepted, a call before it goes out, and each outcome once it is known. What an earlier run
 * left open is resumed from it. Records of outcomes that the disk refuses are kept and written with
 * the next write that succeeds, so the journal catches up rather than stopping the ledger.
 */
export class Journal {
  private readonly backlog: (() => void)[] = [];
  private flushing = false;

  constructor(
    private readonly database: Database,
    readonly account: string,
    private readonly log: Logger,
  ) {}

  /** Writes an accepted intent and returns its id; throws a coded error when the disk refuses (nothing is then accepted). */
  accept(groupID: string, parts: readonly IntentPart[], at: number): number {
    return this.write(() => {
      const row = this.database
        .statement("INSERT INTO intent (account, group_id, accepted_at, state) VALUES (?, ?, ?, 'open') RETURNING id")
        .get(this.account, groupID, at) as { id: bigint };
      const part = this.database.statement('INSERT INTO intent_part (intent_id, key, kind, value) VALUES (?, ?, ?, ?)');
      for (const { key, kind, value } of parts) part.run(row.id, key, kind, value);
      return Number(row.id);
    });
  }

  /** Writes that a call goes out and which parts it carries; throws a coded error when the disk refuses (it must not go then). */
  send(call: PlannedCall, before: BeforeCall, at: number): JournalEntry {
    const phases = phasesOf(call);
    const intentIDs = [...new Set(phases.flatMap((phase) => phase.parts.map((part) => part.intent.id)))];
    const id = this.write(() => {
      const payload = JSON.stringify(phases.map((phase) => [phase.key, phase.value.toString()]));
      const held: Decimals = [...before.values].map(([key, value]) => [key, value === undefined ? null : value.toString()]);
      const row = this.database
        .statement(
          "INSERT INTO write_call (account, group_id, kind, payload, before, before_seq, sent_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 'in-flight') RETURNING id",
        )
        .get(this.account, call.groupID, call.kind, payload, JSON.stringify(held), before.seq ?? null, at) as { id: bigint };
      const carry = this.database.statement('UPDATE intent_part SET call_id = ? WHERE intent_id = ? AND key = ?');
      for (const phase of phases) for (const part of phase.parts) carry.run(row.id, part.intent.id, phase.key);
      return Number(row.id);
    });
    return { id, call, intentIDs, sentAt: at, before, outcome: 'in-flight' };
  }

  /** Records what became of a call; `requeued` when its parts wait to be sent again. */
  close(entry: JournalEntry, outcome: JournalOutcome, requeued = false): void {
    entry.outcome = outcome;
    this.later(() => {
      this.database.statement('UPDATE write_call SET outcome = ? WHERE id = ?').run(outcome, entry.id);
      if (requeued) this.database.statement('UPDATE intent_part SET call_id = NULL WHERE call_id = ?').run(entry.id);
    });
  }

  /** Records the end of an intent: confirmed, or failed with its reason. */
  settle(intentID: number, failure: ErrorInfo | null, at: number): void {
    this.later(() =>
      this.database
        .statement('UPDATE intent SET state = ?, settled_at = ?, failure = ? WHERE id = ?')
        .run(failure === null ? 'confirmed' : 'failed', at, failure === null ? null : JSON.stringify(failure), intentID),
    );
  }

  /** What earlier runs of this account left open: intents not settled, and the calls of theirs whose outcome is unknown. */
  open(): { intents: OpenIntent[]; calls: Map<number, OpenCall> } {
    const intents = new Map<number, OpenIntent>();
    const rows = this.database
      .statement(
        `SELECT i.id, i.group_id, i.accepted_at, p.key, p.kind, p.value, p.call_id FROM intent i JOIN intent_part p ON p.intent_id = i.id
         WHERE i.account = ? AND i.state = 'open' ORDER BY i.id, p.key`,
      )
      .all(this.account) as { id: bigint; group_id: string; accepted_at: bigint; key: string; kind: 'set' | 'delta'; value: bigint; call_id: bigint | null }[];
    for (const row of rows) {
      const id = Number(row.id);
      let intent = intents.get(id);
      if (intent === undefined) {
        intent = { id, groupID: row.group_id, acceptedAt: Number(row.accepted_at), parts: [] };
        intents.set(id, intent);
      }
      intent.parts.push({ key: row.key, kind: row.kind, value: row.value, callID: row.call_id === null ? null : Number(row.call_id) });
    }
    const calls = new Map<number, OpenCall>();
    const callIDs = new Set([...intents.values()].flatMap((intent) => intent.parts.flatMap((part) => (part.callID === null ? [] : [part.callID]))));
    const read = this.database.statement('SELECT id, group_id, kind, payload, before, before_seq, sent_at, outcome FROM write_call WHERE id = ?');
    for (const callID of callIDs) {
      const row = read.get(callID) as {
        id: bigint;
        group_id: string;
        kind: 'set' | 'delta';
        payload: string;
        before: string;
        before_seq: bigint | null;
        sent_at: bigint;
        outcome: JournalOutcome;
      };
      const before = new Map((JSON.parse(row.before) as Decimals).map(([key, value]) => [key, value === null ? undefined : BigInt(value)]));
      calls.set(callID, {
        id: callID,
        outcome: row.outcome,
        groupID: row.group_id,
        kind: row.kind,
        payload: new Map((JSON.parse(row.payload) as [string, string][]).map(([key, value]) => [key, BigInt(value)])),
        before: { values: before, seq: row.before_seq === null ? undefined : Number(row.before_seq) },
        sentAt: Number(row.sent_at),
      });
    }
    return { intents: [...intents.values()], calls };
  }

  /** The latest calls of this account with their outcomes, oldest first. */
  recent(): { id: number; sentAt: number; outcome: JournalOutcome }[] {
    const rows = this.database
      .statement('SELECT id, sent_at, outcome FROM write_call WHERE account = ? ORDER BY id DESC LIMIT ?')
      .all(this.account, RECENT_CALLS) as { id: bigint; sent_at: bigint; outcome: JournalOutcome }[];
    return rows.reverse().map((row) => ({ id: Number(row.id), sentAt: Number(row.sent_at), outcome: row.outcome }));
  }

  /** Forgets intents settled before `before`, and the calls that carried only those. */
  prune(before: number): void {
    this.later(() => {
      this.database.statement("DELETE FROM intent WHERE state <> 'open' AND settled_at < ?").run(before);
      this.database.statement('DELETE FROM write_call WHERE sent_at < ? AND id NOT IN (SELECT call_id FROM intent_part WHERE call_id IS NOT NULL)').run(before);
    });
  }

  /** A write the ledger must not go on without: the records held back go first, in the same transaction. */
  private write<T>(work: () => T): T {
    const result = this.database.write(() => {
      for (const held of this.backlog) held();
      return work();
    });
    this.backlog.length = 0;
    return result;
  }

  /**
   * A record that may wait: written at the end of the current task, with every other record made
   * in it (a call's outcome and the ends of its intents land in one transaction), or with the next
   * write that succeeds.
   */
  private later(record: () => void): void {
    this.backlog.push(record);
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => {
      this.flushing = false;
      if (this.backlog.length === 0) return;
      try {
        this.write(() => {});
      } catch (error) {
        this.log.warn(`The intent journal could not be written (${(error as Error).message}); it catches up with the next write.`);
      }
    });
  }
}
