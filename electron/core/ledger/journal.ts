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

export interface JournalEntry {
  id: number;
  call: PlannedCall;
  intentIDs: number[];
  sentAt: number;
  before: BeforeCall;
  outcome: JournalOutcome;
}

const KEEP_ENTRIES = 1_000;

/** Every write call the ledger sends, with its intents and what became of it; the latest thousand are kept. */
export class Journal {
  private readonly entries: JournalEntry[] = [];
  private nextID = 1;

  /** Records a call as it goes out. */
  open(call: PlannedCall, before: BeforeCall, sentAt: number): JournalEntry {
    const phases = call.kind === 'set' ? call.phases : [call.phase];
    const intentIDs = [...new Set(phases.flatMap((phase) => phase.parts.map((part) => part.intent.id)))];
    const entry: JournalEntry = { id: this.nextID++, call, intentIDs, sentAt, before, outcome: 'in-flight' };
    this.entries.push(entry);
    if (this.entries.length > KEEP_ENTRIES) this.entries.shift();
    return entry;
  }

  /** Records what became of a call. */
  close(entry: JournalEntry, outcome: JournalOutcome): void {
    entry.outcome = outcome;
  }

  /** The recorded calls, oldest first. */
  recent(): readonly JournalEntry[] {
    return this.entries;
  }
}
