import type { CountersApi } from './counters-api';

/**
 * The IPC contract: every call and every event of `CountersApi`, named once and grouped by the part
 * of the core that answers them. The preload, the main process binding and the router are all
 * derived from these lists.
 */
export const API_METHOD_GROUPS = {
  counters: ['getSession', 'listGroups', 'joinGroup', 'getCounters', 'setCounters', 'increaseCounter', 'decreaseCounter', 'getBudget', 'getPendingChanges'],
  accounts: ['getConnection', 'connectTencent', 'renewSignIn', 'useEmbedded', 'forgetAccount'],
  records: ['getHistory', 'getRecentUpdates', 'getBroadcast', 'startBroadcast', 'endBroadcast', 'getStorage', 'deleteHistory'],
} as const satisfies Record<string, readonly (keyof CountersApi)[]>;

export type ApiMethodGroup = keyof typeof API_METHOD_GROUPS;
/** The calls one part of the core answers. */
export type MethodsOf<G extends ApiMethodGroup> = (typeof API_METHOD_GROUPS)[G][number];

export const API_METHODS: readonly MethodsOf<ApiMethodGroup>[] = Object.values(API_METHOD_GROUPS).flat();

export const API_EVENTS = ['onCounterBatch', 'onSession', 'onBudget', 'onBroadcast', 'onStorage', 'onPendingChanges'] as const satisfies readonly (keyof CountersApi)[];

export type ApiMethod = MethodsOf<ApiMethodGroup>;
export type ApiEvent = (typeof API_EVENTS)[number];

/** Compile-time proof that the two lists cover `CountersApi` exactly. */
type Uncovered = Exclude<keyof CountersApi, ApiMethod | ApiEvent>;
export const contractIsComplete: Uncovered extends never ? true : Uncovered = true;

/** The argument a method takes (undefined for methods without one). */
export type RequestOf<M extends ApiMethod> = Parameters<CountersApi[M]>[0];
export type ReplyOf<M extends ApiMethod> = Awaited<ReturnType<CountersApi[M]>>;
export type EventPayload<E extends ApiEvent> = Parameters<Parameters<CountersApi[E]>[0]>[0];

/** The IPC channel of a call. */
export function methodChannel(method: ApiMethod): string {
  return `countdeck:call:${method}`;
}

/** The IPC channel of a main → renderer event. */
export function eventChannel(event: ApiEvent): string {
  return `countdeck:event:${event}`;
}

/** Whether a name is one of the contract's calls. */
export function isApiMethod(name: unknown): name is ApiMethod {
  return (API_METHODS as readonly unknown[]).includes(name);
}
