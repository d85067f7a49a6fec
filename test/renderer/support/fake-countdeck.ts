import { vi, type Mock } from 'vitest';
import type { CountersApi, Unsubscribe } from '../../../shared/counters-api';
import { API_EVENTS, API_METHODS, type ApiEvent, type ApiMethod, type EventPayload } from '../../../shared/ipc-contract';
import { ErrorCode } from '../../../shared/errors';
import type {
  Broadcast,
  BudgetSnapshot,
  BudgetWindow,
  ConnectionInfo,
  GroupSummary,
  HistoryBucket,
  PendingChange,
  SessionSnapshot,
  StorageInfo,
} from '../../../shared/types';

/** A `window.countdeck` whose calls are vi.fn mocks and whose events can be fired from the test. */
export type FakeCountdeck = { [M in ApiMethod]: Mock<CountersApi[M]> } & { [E in ApiEvent]: Mock<CountersApi[E]> } & {
  /** Hands `payload` to every listener subscribed to `name`, as the preload would. */
  emit<E extends ApiEvent>(name: E, payload: EventPayload<E>): void;
  /** How many listeners `name` has right now. */
  listenerCount(name: ApiEvent): number;
};

/** A fixed point in time the tests use as "now" when they fake the clock (2025-05-01T12:00:00Z). */
export const T0 = Date.UTC(2025, 4, 1, 12, 0, 0);

/** A session snapshot, ready by default. */
export function sessionSnapshot(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return { connection: 1, state: 'ready', backend: 'local', userID: 'moderator', reason: null, notice: null, since: T0, ...overrides };
}

/** One budget window, idle by default. */
export function budgetWindow(overrides: Partial<BudgetWindow> = {}): BudgetWindow {
  return { limit: 20, used: 0, left: 20, windowEndsAt: null, nextSlotAt: 0, queued: 0, inFlight: 0, refusals: 0, ...overrides };
}

/** A budget snapshot with both windows idle unless told otherwise. */
export function budgetSnapshot(write: Partial<BudgetWindow> = {}, read: Partial<BudgetWindow> = {}, at = T0): BudgetSnapshot {
  return { at, write: budgetWindow(write), read: budgetWindow(read) };
}

/** The embedded service in use, no account remembered, secrets kept by the keychain. */
export function connectionInfo(overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return { backend: 'local', account: null, remembered: false, secretStorage: { mode: 'keychain' }, ...overrides };
}

/** A group summary. */
export function groupSummary(groupID: string, name: string, type: GroupSummary['type'] = 'Public', memberCount = 10): GroupSummary {
  return { groupID, name, type, memberCount };
}

/** A broadcast on since T0, without a name or baselines unless told otherwise. */
export function broadcastOn(overrides: Partial<Broadcast> = {}): Broadcast {
  return { id: 1, name: '', startedAt: T0, endedAt: null, baselines: [], ...overrides };
}

/** The database in a file, small, with the core's tiers and no problem. */
export function storageInfo(overrides: Partial<StorageInfo> = {}): StorageInfo {
  return {
    file: '/home/op/.config/Countdeck/countdeck.db',
    bytes: 2_400_000,
    problem: null,
    oldestHistory: T0 - 3 * 86_400_000,
    tiers: [
      { resolutionMs: 1_000, keepMs: 3_600_000 },
      { resolutionMs: 10_000, keepMs: 2 * 86_400_000 },
      { resolutionMs: 300_000, keepMs: 14 * 86_400_000 },
      { resolutionMs: 1_800_000, keepMs: 365 * 86_400_000 },
    ],
    recentKept: 5_000,
    ...overrides,
  };
}

/** A change the core has queued and not had confirmed yet. */
export function pendingChange(overrides: Partial<PendingChange> = {}): PendingChange {
  return { intentID: 1, groupID: 'live-room', key: 'likes', change: '+5', state: 'queued', resumed: false, acceptedAt: T0, ...overrides };
}

/** A history bucket of `span` ms at `at`; its min, max and last as given (last defaults to max, and came at the bucket's end). */
export function bucket(at: number, span: number, min: number, max: number, last = max, count = 3, lastAt = at + span - 1): HistoryBucket {
  return { at, span, min: String(min), max: String(max), last: String(last), lastAt, count };
}

/** A promise with its resolve and reject in hand, to hold a call open. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/**
 * Builds a fake CountersApi with harmless defaults: a ready session, no groups, empty counters, idle
 * budgets, no stored history or updates, no broadcast, a healthy database, nothing pending.
 */
export function createFakeCountdeck(): FakeCountdeck {
  const listeners = new Map<ApiEvent, Set<(payload: never) => void>>(API_EVENTS.map((name) => [name, new Set()]));
  const subscribe =
    (name: ApiEvent) =>
    (listener: (payload: never) => void): Unsubscribe => {
      listeners.get(name)!.add(listener);
      return () => void listeners.get(name)!.delete(listener);
    };

  let broadcast: Broadcast | null = null;

  const fake: FakeCountdeck = {
    getSession: vi.fn<CountersApi['getSession']>(async () => sessionSnapshot()),
    listGroups: vi.fn<CountersApi['listGroups']>(async () => []),
    joinGroup: vi.fn<CountersApi['joinGroup']>(async (groupID) => groupSummary(groupID, groupID)),
    getCounters: vi.fn<CountersApi['getCounters']>(async (request) => ({ groupID: request.groupID, counters: {}, source: 'service' as const, updatedAt: {} })),
    setCounters: vi.fn<CountersApi['setCounters']>(async (request) => ({ groupID: request.groupID, counters: request.counters })),
    increaseCounter: vi.fn<CountersApi['increaseCounter']>(async (request) => ({ groupID: request.groupID, counters: {} })),
    decreaseCounter: vi.fn<CountersApi['decreaseCounter']>(async (request) => ({ groupID: request.groupID, counters: {} })),
    getBudget: vi.fn<CountersApi['getBudget']>(async () => budgetSnapshot()),
    getConnection: vi.fn<CountersApi['getConnection']>(async () => connectionInfo()),
    connectTencent: vi.fn<CountersApi['connectTencent']>(async (request) =>
      connectionInfo({ backend: 'tencent', account: { SDKAppID: Number(request.SDKAppID), userID: request.userID, credential: request.secretKey ? 'secretKey' : 'userSig' } }),
    ),
    renewSignIn: vi.fn<CountersApi['renewSignIn']>(async () => sessionSnapshot({ backend: 'tencent' })),
    useEmbedded: vi.fn<CountersApi['useEmbedded']>(async () => connectionInfo()),
    forgetAccount: vi.fn<CountersApi['forgetAccount']>(async () => connectionInfo()),
    getHistory: vi.fn<CountersApi['getHistory']>(async (request) => ({
      groupID: request.groupID,
      from: request.from,
      to: request.to,
      series: request.keys.map((key) => ({ key, before: null, buckets: [] })),
    })),
    getRecentUpdates: vi.fn<CountersApi['getRecentUpdates']>(async () => []),
    // The broadcast calls keep one broadcast, as the core does: started, fetched, ended.
    getBroadcast: vi.fn<CountersApi['getBroadcast']>(async () => broadcast),
    startBroadcast: vi.fn<CountersApi['startBroadcast']>(async (request) => {
      broadcast = broadcastOn({ id: (broadcast?.id ?? 0) + 1, name: request.name ?? '', startedAt: Date.now() });
      return broadcast;
    }),
    endBroadcast: vi.fn<CountersApi['endBroadcast']>(async () => {
      if (broadcast === null) return Promise.reject({ code: ErrorCode.NO_BROADCAST, message: 'No broadcast is on: start one first.' });
      const ended = { ...broadcast, endedAt: Date.now() };
      broadcast = null;
      return ended;
    }),
    getStorage: vi.fn<CountersApi['getStorage']>(async () => storageInfo()),
    deleteHistory: vi.fn<CountersApi['deleteHistory']>(async () => storageInfo()),
    getPendingChanges: vi.fn<CountersApi['getPendingChanges']>(async () => []),
    onCounterBatch: vi.fn<CountersApi['onCounterBatch']>(subscribe('onCounterBatch')),
    onSession: vi.fn<CountersApi['onSession']>(subscribe('onSession')),
    onBudget: vi.fn<CountersApi['onBudget']>(subscribe('onBudget')),
    onBroadcast: vi.fn<CountersApi['onBroadcast']>(subscribe('onBroadcast')),
    onStorage: vi.fn<CountersApi['onStorage']>(subscribe('onStorage')),
    onPendingChanges: vi.fn<CountersApi['onPendingChanges']>(subscribe('onPendingChanges')),
    emit(name: ApiEvent, payload: unknown) {
      for (const listener of [...listeners.get(name)!]) listener(structuredClone(payload) as never);
    },
    listenerCount(name: ApiEvent) {
      return listeners.get(name)!.size;
    },
  };

  for (const name of [...API_METHODS, ...API_EVENTS]) if (!vi.isMockFunction(fake[name])) throw new Error(`${name} is not faked`);
  return fake;
}

/** Puts a fresh fake on `window.countdeck` (the service caches its wrapper per object) and returns it. */
export function installFakeCountdeck(): FakeCountdeck {
  const fake = createFakeCountdeck();
  window.countdeck = fake;
  return fake;
}
