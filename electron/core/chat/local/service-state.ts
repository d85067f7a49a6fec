import type { ErrorInfo } from '../../../../shared/errors';
import type { GroupRecord } from './group-state';

export interface LoadedState {
  /** The stored groups, or null when nothing is stored yet (a new profile): the service then seeds them. */
  groups: Map<string, GroupRecord> | null;
  /** What the operator should know about where the state came from (an earlier release's file), or null. */
  notice: ErrorInfo | null;
}

/**
 * Where the embedded service keeps its state. Every change is saved before the service answers
 * it, and a save that fails throws a coded error: the service then answers that error and changes
 * nothing in memory either.
 */
export interface ServiceStateStore {
  load(): LoadedState;
  /** Stores the first state of a new profile (the seed, or an imported file); `origin` says which. */
  saveFirst(groups: ReadonlyMap<string, GroupRecord>, origin: string): void;
  /** Stores new counter values of a group and its new sequence number, together. */
  saveCounters(groupID: string, values: ReadonlyMap<string, bigint>, seq: number): void;
  /** Stores a user joining a group and leaving others, together. */
  saveMembership(userID: string, joined: string, left: readonly string[]): void;
  saveGroup(group: GroupRecord): void;
}

/** A store that keeps nothing: the service's state lives in memory only. */
export const memoryServiceState: ServiceStateStore = {
  load: () => ({ groups: null, notice: null }),
  saveFirst: () => {},
  saveCounters: () => {},
  saveMembership: () => {},
  saveGroup: () => {},
};
