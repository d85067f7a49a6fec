import { CountdeckError, ErrorCode, type ErrorInfo } from '../../../../shared/errors';
import type { GroupType } from '../../../../shared/types';
import { validateGroupID } from '../../../../shared/validation';
import { fail, ok, type Result } from '../../../../shared/result';
import { systemClock, type Clock } from '../../clock';
import type { ChatGroup, CounterMap, JoinStatus } from '../chat-like';
import { Courier } from './courier';
import { createSeed, type SeedKind } from './demo-seed';
import { commitWrite, findGroup, planWrite, readCounters, toChatGroup, type CounterWrite, type GroupRecord } from './group-state';
import { LocalClient, type LocalChatClient } from './local-client';
import { applyMembership, groupsOf, planJoin } from './membership';
import type { ClientLink, LogFn, ServicePort } from './service-port';
import { memoryServiceState, type ServiceStateStore } from './service-state';
import { Simulator, type SimulatorHost, type TrafficSimulator } from './traffic-simulator';

export interface LocalServiceOptions {
  clock?: Clock;
  /** Where the state is kept, each change saved before it is answered; default: memory only. */
  state?: ServiceStateStore;
  /** What a new state holds; default 'demo'. */
  seed?: SeedKind;
  /** Delay of every reply and event delivery, default 0 (a microtask). */
  latencyMs?: number;
  /** For the simulator; default Math.random. */
  random?: () => number;
  log?: LogFn;
}

/** The embedded imitation of Tencent Cloud Chat: several clients, one set of groups and counters. */
export interface LocalService {
  /** A new SDK instance, like `TencentCloudChat.create`. */
  createClient(options?: { unlimitedAVChatRoom?: boolean }): LocalChatClient;
  /** What the operator should know about where the state came from (an imported file), or null. */
  readonly notice: ErrorInfo | null;
  readonly simulator: TrafficSimulator;
  /** A copy of a group's counters, for inspection; throws for an unknown group. */
  counters(groupID: string): ReadonlyMap<string, bigint>;
  /**
   * What the application's administrator can do through Tencent's REST API (an admin identity, no
   * client budget): create a group, and change a counter, which every member hears about.
   */
  createGroup(group: { groupID: string; name: string; type: GroupType; members: readonly string[] }): Result<true>;
  systemWrite(groupID: string, key: string, delta: bigint): Result<unknown>;
  /** Stops the simulator and logs every client out; idempotent. */
  close(): Promise<void>;
}

const defaultLog: LogFn = (level, message) => console[level](`[local chat] ${message}`);

/** Opens the local service on its stored state, or on the seed when nothing is stored yet. */
export function openLocalService(options: LocalServiceOptions = {}): LocalService {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? defaultLog;
  const state = options.state ?? memoryServiceState;
  const loaded = state.load();
  let groups = loaded.groups;
  if (groups === null) {
    const seed = options.seed ?? 'demo';
    groups = createSeed(seed);
    try {
      state.saveFirst(groups, `the ${seed} seed`);
    } catch (error) {
      log('error', `Storing the first state failed (${(error as Error).message}); the next change stores it.`);
    }
  }
  return new Service(clock, new Courier(clock, options.latencyMs ?? 0), log, groups, loaded.notice, state, options.random ?? Math.random);
}

class Service implements LocalService, ServicePort, SimulatorHost {
  readonly simulator: Simulator;
  private readonly clients = new Set<ClientLink>();
  private closing: Promise<void> | null = null;

  constructor(
    readonly clock: Clock,
    readonly courier: Courier,
    readonly log: LogFn,
    private readonly groups: Map<string, GroupRecord>,
    readonly notice: ErrorInfo | null,
    private readonly state: ServiceStateStore,
    random: () => number,
  ) {
    const liveRooms = [...groups.values()].filter((group) => group.type === 'AVChatRoom').map((group) => group.groupID);
    this.simulator = new Simulator(this, clock, random, log, liveRooms);
  }

  createClient(options: { unlimitedAVChatRoom?: boolean } = {}): LocalChatClient {
    if (this.closing !== null) throw new Error('The local service is closed: open a new one.');
    const client = new LocalClient(this, options.unlimitedAVChatRoom === true);
    this.clients.add(client);
    return client;
  }

  counters(groupID: string): ReadonlyMap<string, bigint> {
    const group = this.groups.get(groupID);
    if (group === undefined) throw new Error(`The local service has no group "${groupID}".`);
    return new Map(group.counters);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  signIn(client: ClientLink, userID: string): Result<true> {
    if (this.closing !== null) return fail(ErrorCode.CORE_CLOSED, 'The local service is closed.');
    for (const other of this.clients) {
      if (other !== client && other.userID === userID) other.endByService('multipleAccount');
    }
    return ok(true);
  }

  forget(client: ClientLink): void {
    this.clients.delete(client);
  }

  groupList(userID: string): Result<{ groupList: ChatGroup[] }> {
    return ok({ groupList: groupsOf(this.groups, userID) });
  }

  joinGroup(
    userID: string,
    groupID: string,
    unlimitedAVChatRoom: boolean,
  ): Result<{ status: JoinStatus; group: ChatGroup }> {
    const planned = planJoin(this.groups, userID, groupID, unlimitedAVChatRoom);
    if (!planned.ok) return planned;
    const { status, change } = planned.value;
    if (change !== null) {
      const saved = this.save(() => this.state.saveMembership(userID, change.joined, change.left));
      if (!saved.ok) return saved;
      applyMembership(this.groups, userID, change);
    }
    return ok({ status, group: toChatGroup(this.groups.get(groupID)!) });
  }

  getCounters(
    userID: string,
    groupID: string,
    keyList: readonly string[] | undefined,
  ): Result<{ counters: CounterMap; groupCounterSeq: number }> {
    const found = findGroup(this.groups, groupID, userID);
    if (!found.ok) return found;
    return ok({ counters: readCounters(found.value, keyList), groupCounterSeq: found.value.seq });
  }

  write(userID: string, groupID: string, write: CounterWrite): Result<{ counters: CounterMap }> {
    return this.apply(userID, groupID, write);
  }

  hasGroup(groupID: string): boolean {
    return this.groups.has(groupID);
  }

  createGroup({ groupID, name, type, members }: { groupID: string; name: string; type: GroupType; members: readonly string[] }): Result<true> {
    const checked = validateGroupID(groupID);
    if (!checked.ok) return checked;
    if (this.groups.has(groupID)) return fail(ErrorCode.INVALID_GROUP_ID, `A group "${groupID}" already exists.`);
    const group: GroupRecord = { groupID, name, type, members: new Set(members), counters: new Map(), seq: 0 };
    const saved = this.save(() => this.state.saveGroup(group));
    if (!saved.ok) return saved;
    this.groups.set(groupID, group);
    return ok(true);
  }

  counterValue(groupID: string, key: string): bigint | undefined {
    return this.groups.get(groupID)?.counters.get(key);
  }

  systemWrite(groupID: string, key: string, delta: bigint): Result<unknown> {
    return this.apply(null, groupID, { kind: 'increase', key, value: delta });
  }

  /** Saves a change before it is made: a failed save is the answer, and nothing changes in memory. */
  private save(work: () => void): Result<true> {
    try {
      work();
      return ok(true);
    } catch (error) {
      if (error instanceof CountdeckError) return fail(error.code, error.message);
      throw error;
    }
  }

  /** Checks, saves and applies a write by a user (or the system, `null`), then sends its events. */
  private apply(userID: string | null, groupID: string, write: CounterWrite): Result<{ counters: CounterMap }> {
    const found = findGroup(this.groups, groupID, userID);
    if (!found.ok) return found;
    const group = found.value;
    const planned = planWrite(group, write);
    if (!planned.ok) return planned;
    const saved = this.save(() => this.state.saveCounters(groupID, planned.value, group.seq + 1));
    if (!saved.ok) return saved;
    const groupCounterSeq = commitWrite(group, planned.value);
    // Every signed-in member hears it, the writer included; the client drops it if its link is down.
    for (const client of this.clients) {
      if (client.userID === null || !group.members.has(client.userID)) continue;
      for (const [key, value] of planned.value) client.receive({ groupID, key, value, groupCounterSeq });
    }
    return ok({ counters: Object.fromEntries(planned.value) });
  }

  private async shutDown(): Promise<void> {
    this.simulator.dispose();
    for (const client of this.clients) {
      if (client.userID !== null) client.endByService(null);
    }
  }
}
